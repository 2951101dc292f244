/**
 * Builds the court's verifier page (docs/VERIFYING.md §The verifier page): one self-contained
 * HTML file, dist/verifier/custody-verifier.html, with the pure engine bundled by esbuild, its
 * signature worker inlined as a string (started as a blob: worker), and a strict CSP.
 *
 * Reproducible: the same commit builds the same bytes. Nothing in the output depends on the
 * time, the machine or the path: esbuild's output is deterministic for the same inputs and
 * version (package-lock.json pins it), and the only stamp is the commit (with "+modified" when
 * the working tree differs from it). The page cannot contain its own hash, so it shows the
 * SHA-256 of its embedded code instead; `custody verifier --hash` prints the file's.
 *
 * Run by `npm run build`; `buildVerifier(out)` is exported for the reproducibility test.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT = join(root, 'dist', 'verifier', 'custody-verifier.html');

/**
 * node:crypto resolves to a module that throws when loaded: the engine imports it dynamically
 * and falls back to noble when that fails (src/crypto/sha256.ts, ed25519.ts), which is what a
 * browser must use. Any other Node built-in in the page's graph is a build error (purity).
 */
const noNode: Plugin = {
  name: 'no-node',
  setup(b) {
    b.onResolve({ filter: /^node:crypto$/ }, () => ({ path: 'node:crypto', namespace: 'no-node' }));
    b.onLoad({ filter: /.*/, namespace: 'no-node' }, () => ({
      contents: "throw new Error('node:crypto is not available in a browser');",
      loader: 'js',
    }));
  },
};

function commitStamp(): string {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head}+modified` : head;
  } catch {
    return 'unknown';
  }
}

async function bundle(
  entry: string,
  define: Record<string, string>,
  format: 'esm' | 'iife' = 'esm',
): Promise<string> {
  const r = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    write: false,
    format,
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox115'],
    minify: true,
    legalComments: 'eof',
    charset: 'utf8',
    plugins: [noNode],
    define,
    logLevel: 'silent',
  });
  const js = r.outputFiles[0]!.text;
  if (/<\/script/i.test(js))
    throw new Error(`${entry}: the bundle contains "</script" and cannot be inlined`);
  return js;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8');

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem 3rem; color: #1b1f24; }
h1 { margin-bottom: .2rem; } header p { margin: .2rem 0; }
#about { font-size: 12px; color: #4a5561; overflow-wrap: anywhere; }
fieldset { border: 1px solid #b9c4cf; border-radius: 6px; margin: 1rem 0; padding: .6rem 1rem 1rem; }
legend { font-weight: 600; } label { display: block; margin-top: .6rem; }
textarea, input[type=text] { width: 100%; box-sizing: border-box; font: 13px ui-monospace, monospace; }
.drop { border: 2px dashed #8a99a8; border-radius: 6px; padding: .6rem; margin-top: .3rem; }
button { font: inherit; padding: .4rem 1rem; margin: .4rem .4rem .4rem 0; }
#verify { font-weight: 600; }
#error { color: #8b0000; font-weight: 600; }
#result { border-radius: 6px; padding: .6rem 1rem; margin-top: 1rem; }
#result.ok { border: 3px solid #1d6b2f; } #result.not-ok { border: 3px solid #8b0000; }
#verdict-word { font-size: 1.6rem; font-weight: 700; margin: .2rem 0; }
iframe { width: 100%; height: 70vh; border: 1px solid #b9c4cf; margin-top: .4rem; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f2f5f8; padding: .4rem; }
#translation-note:empty { display: none; } #translation-note { font-style: italic; }
footer { margin-top: 2rem; font-size: 12px; color: #4a5561; }
`;

const BODY = `
<header>
<h1 data-i18n="title"></h1>
<p data-i18n="subtitle"></p>
<p id="translation-note"></p>
<label><span data-i18n="language"></span> <select id="lang"></select></label>
<label><span data-i18n="framing"></span> <select id="framing"></select></label>
<p id="about"></p>
<p data-i18n="aboutCheck"></p>
</header>
<noscript><p>This verifier needs JavaScript. Ce vérificateur a besoin de JavaScript. Dieses Prüfprogramm braucht JavaScript. Deze verificatie heeft JavaScript nodig.</p></noscript>
<main>
<fieldset><legend data-i18n="stepBundle"></legend>
<p data-i18n="bundleHelp"></p>
<div class="drop" id="drop-bundle"><input type="file" id="bundle"></div>
</fieldset>
<fieldset><legend data-i18n="stepTrust"></legend>
<p data-i18n="trustHelp"></p>
<label><span data-i18n="authorityKeys"></span><textarea id="authority-keys" rows="2" spellcheck="false"></textarea></label>
<label><span data-i18n="logKeys"></span><textarea id="log-keys" rows="2" spellcheck="false"></textarea></label>
<label><span data-i18n="witnesses"></span><textarea id="witnesses" rows="2" spellcheck="false"></textarea></label>
<label><span data-i18n="quorum"></span><input type="text" id="quorum" inputmode="numeric"></label>
<label><span data-i18n="manifest"></span><div class="drop" id="drop-manifest"><input type="file" id="manifest" accept=".json,application/json"></div></label>
<label><input type="checkbox" id="strict"> <span data-i18n="strict"></span></label>
</fieldset>
<fieldset><legend data-i18n="stepFile"></legend>
<p data-i18n="fileHelp"></p>
<div class="drop" id="drop-evidence"><input type="file" id="evidence"> <span id="dropped-folder"></span></div>
<label><span data-i18n="folderChoose"></span> <input type="file" id="evidence-folder" webkitdirectory></label>
<label><span data-i18n="folderManifest"></span> <input type="file" id="folder-manifest" accept=".manifest"></label>
<label><span data-i18n="segmentsChoose"></span> <input type="file" id="segments" multiple></label>
<p data-i18n="folderLimits"></p>
<progress id="progress" hidden></progress>
</fieldset>
<button type="button" id="verify" data-i18n="verify"></button>
<p id="status" role="status"></p>
<p id="error" role="alert" hidden></p>
<section id="result" hidden>
<h2 data-i18n="verdict"></h2>
<p id="verdict-word"></p>
<p id="verdict-meaning"></p>
<p id="took"></p>
<div id="folder-check" hidden><p id="folder-summary"></p><ul id="folder-diff"></ul></div>
<h3 data-i18n="problems"></h3><ul id="problems"></ul>
<h3 data-i18n="warnings"></h3><ul id="warnings"></ul>
<p data-i18n="repeat"></p><pre id="command"></pre>
<h2 data-i18n="report"></h2>
<div id="reports"></div>
</section>
</main>
<footer>
<p data-i18n="disclaimer"></p>
<p>custody (Apache-2.0). Bundled: @noble/ed25519, @noble/hashes, @noble/post-quantum (MIT, Paul Miller), hash-wasm (MIT, Dani Biró), pkijs and asn1js (BSD-3-Clause, Peculiar Ventures); their notices are at the end of the embedded code.</p>
</footer>
`;

/** Builds the page; returns its bytes and the SHA-256 of its embedded code. */
export async function buildVerifier(out = DEFAULT_OUT): Promise<{ html: string; codeHash: string }> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const stamp = {
    __CUSTODY_VERSION__: JSON.stringify(pkg.version),
    __CUSTODY_COMMIT__: JSON.stringify(commitStamp()),
  };
  // A classic script: Chromium refuses blob: module workers from file://.
  const worker = await bundle('src/page/browser/worker.ts', stamp, 'iife');
  const code = await bundle('src/page/browser/main.ts', {
    ...stamp,
    __CUSTODY_WORKER__: JSON.stringify(worker),
  });
  const codeHash = sha256(code).digest('hex');
  const scriptHash = sha256(code).digest('base64');
  // No connection of any kind (connect-src, img-src, form-action…: 'none' by default-src);
  // the inline script by its hash; WebAssembly for hashing; blob: workers; the sandboxed
  // report frame is srcdoc, which frame-src does not govern.
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${scriptHash}' 'wasm-unsafe-eval'`,
    'worker-src blob:',
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="custody-version" content="${pkg.version}">
<meta name="custody-code-sha256" content="${codeHash}">
<title>Custody verifier ${pkg.version}</title>
<style>${STYLE}</style>
</head>
<body>${BODY}<script type="module">${code}</script>
</body>
</html>
`;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, html);
  return { html, codeHash };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? DEFAULT_OUT;
  const { html } = await buildVerifier(out);
  process.stdout.write(
    `verifier page: ${out} (${html.length} bytes, SHA-256 ${sha256(html).digest('hex')})\n`,
  );
}

/**
 * The court's verifier page (docs/VERIFYING.md §The verifier page): reads the bundle, the
 * trust and the evidence file the clerk drops in, runs the pure engine (../verify.ts, the same
 * code as `custody verify-bundle`) and shows the verdict, the problems and the report. Nothing
 * leaves the page: its CSP allows no connection, and nothing here makes one.
 */
import { filePlan, worthHashing } from '../../bundle/file-plan.js';
import { ed25519 } from '../../crypto/ed25519.js';
import { mlDsa44Verify } from '../../crypto/ml-dsa.js';
import { CustodyError } from '../../errors.js';
import { DIGEST_ALGORITHMS, type DigestAlgorithm } from '../../format/vocabulary.js';
import { LEGAL_FRAMINGS, type LegalFraming } from '../../report/model-method.js';
import { checkFolder, type FolderCheck, folderLegacy, rebuildFolder, registeredEvidence } from '../folder.js';
import { format, LANGUAGES, type Language, type MessageKey, meaningKey, verdictKey } from '../messages.js';
import {
  firstBundle,
  type PageResult,
  type ReportChoices,
  reworded,
  tooLargeInPage,
  verifyInPage,
} from '../verify.js';
import {
  chosenFolder,
  digestsOfBytes,
  droppedFolder,
  type GivenFolder,
  hashFolder,
  hashSegments,
} from './folder.js';
import { hashEvidence } from './hash.js';
import { workerPool } from './pool.js';

declare const __CUSTODY_VERSION__: string;
declare const __CUSTODY_COMMIT__: string;
declare const __CUSTODY_WORKER__: string;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const pool = workerPool(__CUSTODY_WORKER__);
const codeHash = document.querySelector('meta[name="custody-code-sha256"]')?.getAttribute('content') ?? '';

function initialLanguage(): Language {
  const asked = new URLSearchParams(location.search).get('lang') ?? navigator.language.slice(0, 2);
  return (LANGUAGES as readonly string[]).includes(asked) ? (asked as Language) : 'en';
}
let lang = initialLanguage();
let last: PageResult | undefined;
const framingSelect = $<HTMLSelectElement>('framing');
for (const f of LEGAL_FRAMINGS) framingSelect.add(new Option(f, f, f === 'eu', f === 'eu'));
const choices = (): ReportChoices => ({ lang, framing: framingSelect.value as LegalFraming });

const t = (key: MessageKey, args?: Record<string, string | number>) => format(lang, key, args);

function translate() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]'))
    el.textContent = t(el.dataset['i18n'] as MessageKey);
  $('about').textContent = t('about', { version: __CUSTODY_VERSION__, commit: __CUSTODY_COMMIT__, codeHash });
  $('translation-note').textContent = t('translationNote');
  for (const o of framingSelect.options) o.text = t(`framing_${o.value as LegalFraming}`);
  // The reports follow the language and framing chosen: reworded from the verdicts, not re-verified.
  if (last) {
    last = reworded(last, choices());
    show(last, Number($('result').dataset['ms'] ?? 0));
  }
}

const read = async (input: HTMLInputElement) => {
  const f = input.files?.[0];
  return f ? new Uint8Array(await f.arrayBuffer()) : undefined;
};
const readText = async (input: HTMLInputElement) => {
  const f = input.files?.[0];
  return f ? await f.text() : undefined;
};

function list(el: HTMLElement, problems: PageResult['problems']) {
  el.replaceChildren();
  if (problems.length === 0) {
    const li = document.createElement('li');
    li.textContent = t('none');
    el.append(li);
  }
  for (const p of problems) {
    const li = document.createElement('li');
    const code = document.createElement('code');
    code.textContent = p.code;
    li.append(code, ` ${p.message}`);
    el.append(li);
  }
}

function save(name: string, type: string, text: string) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function show(r: PageResult, ms: number) {
  const out = $('result');
  out.hidden = false;
  out.dataset['verdict'] = r.verdict;
  out.dataset['problems'] = r.problems.map((p) => p.code).join(' ');
  out.dataset['ms'] = String(ms);
  out.className = r.ok ? 'ok' : 'not-ok';
  $('verdict-word').textContent = t(verdictKey(r.verdict));
  $('verdict-meaning').textContent = t(meaningKey(r.verdict));
  $('took').textContent = t('took', { ms });
  list($('problems'), r.problems);
  list($('warnings'), r.warnings);
  $('command').textContent = r.command;
  const reports = $('reports');
  reports.replaceChildren();
  for (const rep of r.reports) {
    const h = document.createElement('h3');
    h.textContent = t('reportOf', { origin: rep.origin });
    // The report is shown in a sandboxed frame without scripts: it is a document, not code.
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', '');
    frame.title = h.textContent;
    frame.srcdoc = rep.html;
    const html = document.createElement('button');
    html.type = 'button';
    html.textContent = t('saveHtml');
    html.onclick = () => save('custody-report.html', 'text/html', rep.html);
    const json = document.createElement('button');
    json.type = 'button';
    json.textContent = t('saveJson');
    json.onclick = () => save('custody-report.json', 'application/json', rep.json);
    reports.append(h, html, json, frame);
  }
}

/** A folder dropped onto the evidence zone (a drop is the one way a browser shows empty folders). */
let dropped: Promise<GivenFolder> | undefined;

interface FolderShown {
  check: FolderCheck;
  replaced: number;
}

/**
 * The folder's facts for the verifier, as the CLI's re-hash gives them (cli/evidence-recheck.ts):
 * the size of its files and the digests of its rebuilt manifest, with the algorithms registered.
 */
async function folderFacts(
  bundle: Uint8Array,
  folder: GivenFolder,
  progress: (done: number, total: number) => void,
) {
  const reg = registeredEvidence(bundle);
  if (reg?.evidence !== 'directory')
    throw new CustodyError(
      'EVIDENCE_UNSUPPORTED',
      `a folder was given, but the exhibit was registered as ${reg?.evidence ?? 'nothing this bundle shows'}`,
      'input',
    );
  const legacy = folderLegacy(reg.digests);
  const rebuilt = rebuildFolder(await hashFolder(folder, legacy, progress), legacy);
  const algorithms = DIGEST_ALGORITHMS.filter((a: DigestAlgorithm) => Object.hasOwn(reg.digests, a));
  const digests = await digestsOfBytes(rebuilt.bytes, algorithms);
  const given = $<HTMLInputElement>('folder-manifest').files?.[0];
  const registered = given ? new Uint8Array(await given.arrayBuffer()) : undefined;
  return {
    file: { name: folder.name, size: rebuilt.manifest.header.bytes, digests, kind: 'directory' as const },
    folderShown: {
      check: checkFolder(reg, rebuilt, registered, folder.sawEmptyFolders),
      replaced: rebuilt.replaced,
    },
  };
}

/**
 * What the page says of the folder. "Matches" only when the rebuilt root is the registered one
 * and the verifier found the manifest's digests and size equal to the registered ones.
 */
function showFolder(f: FolderShown | undefined, r: PageResult) {
  const box = $('folder-check');
  box.hidden = f === undefined;
  if (!f) return;
  const fileMatches = r.reports[0]?.verdict.file?.matches === true;
  const state = f.check.state === 'matches' ? (fileMatches ? 'matches' : 'root-only') : f.check.state;
  box.dataset['state'] = state;
  const key =
    state === 'matches'
      ? 'folderMatches'
      : state === 'root-only'
        ? 'folderRootOnly'
        : state === 'differs-named'
          ? 'folderDiffersNamed'
          : 'folderDiffers';
  const lines = [t(key)];
  if (f.check.manifestRefused) lines.push(t('folderManifestRefused', { reason: f.check.manifestRefused }));
  if (f.check.emptyFoldersUnseen > 0) lines.push(t('folderEmptyUnseen', { n: f.check.emptyFoldersUnseen }));
  if (f.replaced > 0 && state !== 'matches') lines.push(t('folderReplaced', { n: f.replaced }));
  $('folder-summary').textContent = lines.join(' ');
  const ul = $('folder-diff');
  ul.replaceChildren();
  for (const [k, paths] of [
    ['folderAdded', f.check.added],
    ['folderRemoved', f.check.removed],
    ['folderChanged', f.check.changed],
  ] as const)
    for (const path of paths) {
      const li = document.createElement('li');
      li.dataset['change'] = k;
      li.textContent = t(k, { path });
      ul.append(li);
    }
}

async function verify() {
  const status = $('status');
  const error = $('error');
  error.hidden = true;
  $('result').hidden = true;
  $('folder-check').hidden = true;
  const bundleInput = $<HTMLInputElement>('bundle');
  const chosen = bundleInput.files?.[0];
  const huge = chosen && tooLargeInPage(chosen.name, chosen.size, __CUSTODY_VERSION__, Date.now(), choices());
  if (huge) {
    last = huge;
    show(huge, 0);
    return;
  }
  const bundle = await read(bundleInput);
  if (!bundle) {
    error.textContent = t('needBundle');
    error.hidden = false;
    return;
  }
  try {
    const evidence = $<HTMLInputElement>('evidence').files?.[0];
    const chosen = $<HTMLInputElement>('evidence-folder').files;
    const folder = (await dropped) ?? (chosen?.length ? chosenFolder(chosen) : undefined);
    const segments = [...($<HTMLInputElement>('segments').files ?? [])];
    let file: Awaited<ReturnType<typeof hashEvidence>> | undefined;
    let folderShown: FolderShown | undefined;
    const bar = $<HTMLProgressElement>('progress');
    const progress = (done: number, total: number) => {
      bar.hidden = false;
      bar.max = total || 1;
      bar.value = done;
      status.textContent = t('hashing', { percent: total ? Math.floor((done * 100) / total) : 100 });
    };
    if (folder) ({ file, folderShown } = await folderFacts(firstBundle(bundle), folder, progress));
    else if (segments.length > 0)
      file = await hashSegments(segments, filePlan(firstBundle(bundle)).algorithms, progress);
    else if (evidence) {
      const plan = filePlan(firstBundle(bundle));
      const bar = $<HTMLProgressElement>('progress');
      bar.hidden = false;
      if (worthHashing(plan, evidence.size))
        file = await hashEvidence(evidence, plan.algorithms, (done, total) => {
          bar.max = total || 1;
          bar.value = done;
          status.textContent = t('hashing', { percent: total ? Math.floor((done * 100) / total) : 100 });
        });
      else {
        file = { name: evidence.name, size: evidence.size, digests: {} };
        status.textContent = t('hashSkipped');
      }
    }
    status.textContent = t('verifying');
    const manifest = await readText($<HTMLInputElement>('manifest'));
    const started = performance.now();
    const r = await verifyInPage({
      bundle,
      bundleName: bundleInput.files?.[0]?.name ?? 'bundle.custody',
      authorityKeys: $<HTMLTextAreaElement>('authority-keys').value,
      logKeys: $<HTMLTextAreaElement>('log-keys').value,
      witnesses: $<HTMLTextAreaElement>('witnesses').value,
      quorum: $<HTMLInputElement>('quorum').value,
      ...(manifest !== undefined ? { manifest } : {}),
      strict: $<HTMLInputElement>('strict').checked,
      ...(file ? { file } : {}),
      checker: pool,
      now: Date.now(),
      toolVersion: __CUSTODY_VERSION__,
      codeSha256: codeHash,
      choices: choices(),
    });
    const ms = Math.round(performance.now() - started);
    last = r;
    status.textContent = '';
    show(r, ms);
    showFolder(folderShown, r);
  } catch (e) {
    status.textContent = '';
    const code = e instanceof CustodyError ? e.code : 'VERIFIER_FAILED';
    error.dataset['code'] = code;
    error.textContent = t('inputError', { code, message: e instanceof Error ? e.message : String(e) });
    error.hidden = false;
  }
}

function dropInto(zone: HTMLElement, input: HTMLInputElement) {
  zone.addEventListener('dragover', (e) => e.preventDefault());
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    // A folder dropped as evidence is walked (its entries must be taken during the event).
    const entry = input.id === 'evidence' ? e.dataTransfer?.items[0]?.webkitGetAsEntry() : null;
    if (entry?.isDirectory) {
      dropped = droppedFolder(entry as FileSystemDirectoryEntry);
      $('dropped-folder').textContent = entry.name;
      return;
    }
    if (e.dataTransfer?.files.length) input.files = e.dataTransfer.files;
  });
}

const select = $<HTMLSelectElement>('lang');
for (const l of LANGUAGES) select.add(new Option(l.toUpperCase(), l, l === lang, l === lang));
select.onchange = () => {
  lang = select.value as Language;
  translate();
};
framingSelect.onchange = () => translate();
for (const [zone, input] of [
  ['drop-bundle', 'bundle'],
  ['drop-evidence', 'evidence'],
  ['drop-manifest', 'manifest'],
] as const)
  dropInto($(zone), $<HTMLInputElement>(input));
// Choosing evidence anew forgets a folder dropped before.
for (const id of ['evidence', 'evidence-folder', 'segments'])
  $(id).addEventListener('change', () => {
    dropped = undefined;
    $('dropped-folder').textContent = '';
  });
$('verify').onclick = () => void verify();
translate();

/** What the browser tests call: the page's own backends, on the project's vectors. */
Object.assign(globalThis, {
  custodyPage: {
    version: __CUSTODY_VERSION__,
    commit: __CUSTODY_COMMIT__,
    ed25519Verify: (s: Uint8Array, m: Uint8Array, k: Uint8Array) => ed25519.verify(s, m, k),
    ed25519Backend: ed25519.name,
    mlDsa44Verify: (s: Uint8Array, m: Uint8Array, k: Uint8Array, c?: Uint8Array) => mlDsa44Verify(s, m, k, c),
    workersUsed: () => pool.workersUsed(),
  },
});

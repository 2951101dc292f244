/**
 * A folder or a segment set handed to the verifier page (docs/VERIFYING.md §A folder or a
 * segment set in the page): the folder's files from a folder chooser (`webkitdirectory`: files
 * only, each with its webkitRelativePath) or from a drop (FileSystemEntry: files and empty
 * folders), each hashed as a stream; a segment set's files hashed as one stream in segment
 * order. What the hashes mean is decided by ../folder.ts and the verifier.
 */
import type { DigestAlgorithm } from '../../format/vocabulary.js';
import { orderSegments, type SeenEntry } from '../folder.js';
import type { FileFacts } from '../verify.js';
import { digestsOf, feed, initAll, makeHashers } from './hash.js';

/** A folder as the browser gave it: its name, its files by relative path, and (dropped) its empty folders. */
export interface GivenFolder {
  name: string;
  files: { path: string; file: File }[];
  emptyDirs: string[];
  /** Whether empty folders could be seen (a drop), or not (a folder chooser). */
  sawEmptyFolders: boolean;
}

/** The chooser's files: webkitRelativePath is "<folder>/<path>"; the folder's own name is dropped. */
export function chosenFolder(list: FileList): GivenFolder {
  const files = [...list].map((file) => {
    const rel = file.webkitRelativePath || file.name;
    const slash = rel.indexOf('/');
    return { path: slash < 0 ? rel : rel.slice(slash + 1), file };
  });
  const first = list[0]?.webkitRelativePath ?? '';
  return { name: first.split('/')[0] || 'folder', files, emptyDirs: [], sawEmptyFolders: false };
}

const entriesOf = (dir: FileSystemDirectoryEntry) =>
  new Promise<FileSystemEntry[]>((resolve, reject) => {
    const reader = dir.createReader();
    const all: FileSystemEntry[] = [];
    // readEntries answers in batches (100 in Chromium) until an empty one.
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });

const fileOf = (e: FileSystemFileEntry) => new Promise<File>((resolve, reject) => e.file(resolve, reject));

/** A dropped folder, walked with an explicit stack: its files and its empty folders. */
export async function droppedFolder(root: FileSystemDirectoryEntry): Promise<GivenFolder> {
  const files: GivenFolder['files'] = [];
  const emptyDirs: string[] = [];
  const stack: [FileSystemDirectoryEntry, string][] = [[root, '']];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [dir, prefix] = top;
    const children = await entriesOf(dir);
    if (children.length === 0 && prefix !== '') emptyDirs.push(prefix.slice(0, -1));
    for (const c of children) {
      const path = `${prefix}${c.name}`;
      if (c.isDirectory) stack.push([c as FileSystemDirectoryEntry, `${path}/`]);
      else if (c.isFile) files.push({ path, file: await fileOf(c as FileSystemFileEntry) });
    }
  }
  return { name: root.name, files, emptyDirs, sawEmptyFolders: true };
}

/** Every file of the folder hashed (SHA-256 and `legacy`), one at a time, each as a stream. */
export async function hashFolder(
  f: GivenFolder,
  legacy: readonly DigestAlgorithm[],
  progress: (done: number, total: number) => void,
): Promise<SeenEntry[]> {
  const hs = await makeHashers(['sha256', ...legacy.filter((a) => a !== 'sha256')]);
  const total = f.files.reduce((n, x) => n + x.file.size, 0);
  let done = 0;
  const out: SeenEntry[] = f.emptyDirs.map((path) => ({ path, kind: 'dir', size: 0 }));
  for (const { path, file } of f.files) {
    initAll(hs);
    const size = await feed(file, hs, (n) => {
      done += n;
      progress(done, total);
    });
    out.push({ path, kind: 'file', size, digests: digestsOf(hs) });
  }
  return out;
}

/** The digests of bytes in hand (the rebuilt manifest's), as the registration lists them. */
export async function digestsOfBytes(
  bytes: Uint8Array,
  algorithms: readonly DigestAlgorithm[],
): Promise<Record<string, Uint8Array>> {
  const hs = await makeHashers(algorithms);
  initAll(hs);
  for (const [, h] of hs) h.update(bytes);
  return digestsOf(hs);
}

/** A segment set: its files in segment order, hashed as one stream (the concatenation). */
export async function hashSegments(
  list: readonly File[],
  algorithms: readonly DigestAlgorithm[],
  progress: (done: number, total: number) => void,
): Promise<FileFacts> {
  const ordered = orderSegments(list.map((f) => f.name)).map((i) => list[i]!);
  const hs = await makeHashers(algorithms);
  initAll(hs);
  const total = ordered.reduce((n, x) => n + x.size, 0);
  let done = 0;
  for (const file of ordered)
    await feed(file, hs, (n) => {
      done += n;
      progress(done, total);
    });
  return { name: ordered[0]?.name ?? 'segments', size: done, digests: digestsOf(hs), kind: 'segments' };
}

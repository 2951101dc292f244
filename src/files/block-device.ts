/**
 * Block devices as evidence (Linux only; docs/EVIDENCE-KINDS.md §Block devices): the facts the
 * kernel has of one (sysfs, /proc/self/mounts) and its digests, read once, read-only.
 *
 * Security assumptions. custody never opens a device with a write flag, but O_RDONLY is not a write
 * blocker: the kernel's read-only flag is reported as the kernel has it, and whether anything has the
 * device (or a partition of it) mounted or held (device-mapper) is reported, not prevented. A path
 * may be swapped between the inspection and the open (a /dev/disk/by-id link re-pointed, a device
 * node replaced): the open file must be a block device with the device number inspected, or it is
 * refused. The same device number can carry other media (a loop device re-attached, a card swapped):
 * the kernel's disk sequence number (diskseq, Linux 5.15 on) and the size are read again after the
 * last byte and must be unchanged.
 */
import { type BigIntStats, constants } from 'node:fs';
import { type FileHandle, lstat, open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CustodyError } from '../errors.js';
import type { DigestAlgorithm } from '../format/vocabulary.js';
import type { FileDigests } from './digest-file.js';
import { hashPass } from './hash-pass.js';

export interface MountUse {
  /** The mount source as /proc/self/mounts has it (a device path). */
  source: string;
  mountPoint: string;
  fsType: string;
}

export interface BlockDeviceInfo {
  /** The path as given. */
  path: string;
  /** The path after symbolic links (a /dev/disk/by-id/… name resolves to /dev/sdX). */
  resolvedPath: string;
  /** The kernel's name of the device (sda, sda1, nvme0n1, loop3, dm-0). */
  name: string;
  major: number;
  minor: number;
  /** Bytes, from sysfs `size` (always in 512-byte units, whatever the sector size). */
  size: number;
  /** The kernel's read-only flag (sysfs `ro`, as `blockdev --getro` reports it). */
  readOnly: boolean;
  /** Whether this is a partition of another device. */
  partition: boolean;
  model?: string;
  serial?: string;
  /** The kernel's disk sequence number: changes when media or a loop device's file change. */
  diskseq?: string;
  /** Mounts of the device or of any of its partitions. */
  mounts: MountUse[];
  /** Devices stacked on it or its partitions (device-mapper: LVM, LUKS, RAID). */
  holders: string[];
  /** A loop device's backing file. */
  loopBackingFile?: string;
}

const unusable = (message: string) => new CustodyError('DEVICE_UNUSABLE', message, 'input');

const errCode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? 'error';

async function readText(path: string): Promise<string | undefined> {
  try {
    const t = (await readFile(path, 'utf8')).trim();
    return t === '' ? undefined : t;
  } catch {
    return undefined;
  }
}

async function firstText(paths: readonly string[]): Promise<string | undefined> {
  for (const p of paths) {
    const t = await readText(p);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** Linux dev_t to major:minor (glibc's gnu_dev_major and gnu_dev_minor). */
export function majorMinor(rdev: bigint): { major: number; minor: number } {
  return {
    major: Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & 0xfffff000n)),
    minor: Number((rdev & 0xffn) | ((rdev >> 12n) & 0xffffff00n)),
  };
}

/** The lines of /proc/self/mounts (fstab(5) fields; space, tab, newline and backslash octal-escaped). */
export function parseMounts(text: string): MountUse[] {
  const unoctal = (s: string) =>
    s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
  const out: MountUse[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f.length < 3) continue;
    out.push({ source: unoctal(f[0]!), mountPoint: unoctal(f[1]!), fsType: unoctal(f[2]!) });
  }
  return out;
}

/** The device's partitions in sysfs: subdirectories with a `partition` file, with their major:minor. */
async function partitionsOf(dir: string): Promise<{ name: string; dev: string }[]> {
  const out: { name: string; dev: string }[] = [];
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    if ((await readText(join(dir, e, 'partition'))) === undefined) continue;
    const dev = await readText(join(dir, e, 'dev'));
    if (dev) out.push({ name: e, dev });
  }
  return out;
}

async function mountsOf(resolvedPath: string, devs: ReadonlySet<string>, paths: ReadonlySet<string>) {
  const text = await readText('/proc/self/mounts');
  const uses: MountUse[] = [];
  for (const m of parseMounts(text ?? '')) {
    if (!m.source.startsWith('/')) continue;
    if (m.source === resolvedPath || paths.has(m.source)) {
      uses.push(m);
      continue;
    }
    // Matched by device number too: a mount source may be another name of the same device.
    try {
      const st = await stat(m.source, { bigint: true });
      if (!st.isBlockDevice()) continue;
      const { major, minor } = majorMinor(st.rdev);
      if (devs.has(`${major}:${minor}`)) uses.push(m);
    } catch {
      // A source that is no path here (/dev/root, a gone device) is no use of this one.
    }
  }
  return uses;
}

/** Facts about a block device, after resolving symbolic links; refuses anything but a block device. */
export async function inspectBlockDevice(path: string): Promise<BlockDeviceInfo> {
  let resolvedPath: string;
  try {
    resolvedPath = await realpath(path);
  } catch (e) {
    throw unusable(`cannot open device ${path}: ${errCode(e)}`);
  }
  let st: BigIntStats;
  try {
    st = await lstat(resolvedPath, { bigint: true });
  } catch (e) {
    throw unusable(`cannot open device ${resolvedPath}: ${errCode(e)}`);
  }
  if (!st.isBlockDevice()) throw unusable(`${path} is not a block device`);
  const { major, minor } = majorMinor(st.rdev);
  const devno = `${major}:${minor}`;
  let dir: string;
  try {
    dir = await realpath(`/sys/dev/block/${devno}`);
  } catch (e) {
    throw unusable(`no sysfs entry for device ${resolvedPath} (${devno}): ${errCode(e)}`);
  }
  if ((await readText(join(dir, 'dev'))) !== devno)
    throw unusable(`the sysfs entry of ${resolvedPath} does not name device ${devno}`);
  const sectors = await readText(join(dir, 'size'));
  if (sectors === undefined || !/^\d+$/.test(sectors) || !Number.isSafeInteger(Number(sectors) * 512))
    throw unusable(`cannot read the size of device ${resolvedPath}`);
  const partition = (await readText(join(dir, 'partition'))) !== undefined;
  // A partition has no device/ of its own: the disk it is part of has the model and serial.
  const disk = partition ? dirname(dir) : dir;
  const parts = await partitionsOf(dir);
  const devs = new Set([devno, ...parts.map((p) => p.dev)]);
  const partPaths = new Set(parts.map((p) => `/dev/${p.name}`));
  const holders: string[] = [];
  for (const d of [dir, ...parts.map((p) => join(dir, p.name))]) {
    try {
      holders.push(...(await readdir(join(d, 'holders'))));
    } catch {
      // No holders directory: nothing stacked.
    }
  }
  const model = await readText(join(disk, 'device', 'model'));
  // SCSI and ATA have device/serial or device/wwid, virtio-blk the disk's serial, NVMe a wwid.
  const serial = await firstText(
    ['device/serial', 'serial', 'device/wwid', 'wwid'].map((f) => join(disk, f)),
  );
  const diskseq = await readText(join(disk, 'diskseq'));
  const loopBackingFile = await readText(join(dir, 'loop', 'backing_file'));
  return {
    path,
    resolvedPath,
    name: basename(dir),
    major,
    minor,
    size: Number(sectors) * 512,
    readOnly: (await readText(join(dir, 'ro'))) === '1',
    partition,
    ...(model !== undefined && { model }),
    ...(serial !== undefined && { serial }),
    ...(diskseq !== undefined && { diskseq }),
    mounts: await mountsOf(resolvedPath, devs, partPaths),
    holders,
    ...(loopBackingFile !== undefined && { loopBackingFile }),
  };
}

export interface DigestBlockDeviceOptions {
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** Block size in bytes (default 4 MiB). */
  blockSize?: number;
  /** Worker threads: true, false, or by size (default). */
  threads?: boolean;
}

// Never a write flag. O_NOFOLLOW: the resolved path must not have become a link since.
const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NOCTTY;

async function openInspected(info: BlockDeviceInfo): Promise<{ fh: FileHandle; size: number }> {
  let fh: FileHandle;
  try {
    fh = await open(info.resolvedPath, FLAGS);
  } catch (e) {
    throw unusable(`cannot open device ${info.resolvedPath} read-only: ${errCode(e)}`);
  }
  try {
    const st = await fh.stat({ bigint: true });
    const { major, minor } = majorMinor(st.rdev);
    if (!st.isBlockDevice() || major !== info.major || minor !== info.minor)
      throw unusable(`${info.resolvedPath} changed between inspection and open`);
    return { fh, size: info.size };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** Inspects the device, then reads exactly its size once and returns the requested digests. */
export async function digestBlockDevice(
  path: string,
  algorithms: readonly DigestAlgorithm[],
  opts: DigestBlockDeviceOptions = {},
): Promise<{ device: BlockDeviceInfo; size: number; digests: FileDigests }> {
  const device = await inspectBlockDevice(path);
  const { onProgress } = opts;
  const r = await hashPass(
    [{ name: device.resolvedPath, open: () => openInspected(device), failure: unusable }],
    algorithms,
    {
      perSource: false,
      bytesTotal: device.size,
      ...(onProgress && {
        onProgress: (p: { bytesDone: number; bytesTotal: number }) => onProgress(p.bytesDone, p.bytesTotal),
      }),
      ...(opts.blockSize !== undefined && { blockSize: opts.blockSize }),
      ...(opts.threads !== undefined && { threads: opts.threads }),
    },
  );
  const after = await inspectBlockDevice(device.resolvedPath);
  if (
    after.major !== device.major ||
    after.minor !== device.minor ||
    after.size !== device.size ||
    after.diskseq !== device.diskseq ||
    after.loopBackingFile !== device.loopBackingFile
  )
    throw unusable(`the media in ${device.resolvedPath} changed while it was being read`);
  return { device, size: r.whole.size, digests: r.whole.digests };
}

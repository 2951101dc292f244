import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  digestBlockDevice,
  inspectBlockDevice,
  majorMinor,
  parseMounts,
} from '../../src/files/block-device.js';

const dir = mkdtempSync(join(tmpdir(), 'custody-blockdev-'));
const SIZE = 4 << 20;
const content = randomBytes(SIZE);
const imagePath = join(dir, 'image.bin');
writeFileSync(imagePath, content);

/** Attaches a file read-only to a free loop device; the device path, or why it cannot be. */
function attach(file: string): { dev?: string; why?: string | undefined } {
  try {
    const dev = execFileSync('losetup', ['--find', '--show', '--read-only', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
    return { dev };
  } catch (e) {
    return { why: (e as Error).message.split('\n')[0] };
  }
}

// Computed once at load: where losetup fails (not root, no loop module, a container without loop
// devices) the tests that need a real device are skipped with the reason in their names.
const loop = attach(imagePath);
const LOOP = loop.dev;
const skipReason = LOOP ? '' : ` (skipped: losetup failed: ${loop.why})`;

// A small ext2 file system on a second loop device, mounted read-only, for the mount checks.
let fsLoop: string | undefined;
let mountPoint: string | undefined;
let mountWhy = '';
if (LOOP) {
  try {
    const fsImage = join(dir, 'fs.img');
    writeFileSync(fsImage, new Uint8Array(8 << 20));
    execFileSync('mke2fs', ['-q', '-F', fsImage], { stdio: 'ignore' });
    const a = attach(fsImage);
    if (!a.dev) throw new Error(a.why);
    fsLoop = a.dev;
    const mp = join(dir, 'mnt with space');
    mkdirSync(mp);
    execFileSync('mount', ['-o', 'ro', fsLoop, mp], { stdio: 'ignore' });
    mountPoint = mp;
  } catch (e) {
    mountWhy = ` (skipped: cannot mount a test file system: ${(e as Error).message.split('\n')[0]})`;
  }
} else mountWhy = skipReason;

afterAll(() => {
  if (mountPoint) execFileSync('umount', [mountPoint]);
  for (const d of [LOOP, fsLoop]) if (d) execFileSync('losetup', ['-d', d]);
  rmSync(dir, { recursive: true, force: true });
});

const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

describe('inspectBlockDevice and digestBlockDevice on a loop device', () => {
  it.skipIf(!LOOP)(`reports the kernel's facts of a read-only loop device${skipReason}`, async () => {
    const info = await inspectBlockDevice(LOOP!);
    const name = LOOP!.slice('/dev/'.length);
    expect(info).toMatchObject({
      path: LOOP,
      resolvedPath: LOOP,
      name,
      major: 7,
      size: SIZE,
      readOnly: true,
      partition: false,
      mounts: [],
      holders: [],
      loopBackingFile: realpathSync(imagePath),
    });
    expect(`${info.major}:${info.minor}`).toBe(readFileSync(`/sys/class/block/${name}/dev`, 'utf8').trim());
    expect(info.model).toBeUndefined();
  });

  it.skipIf(!LOOP)(`resolves a symbolic link to the device and reports both paths${skipReason}`, async () => {
    const link = join(dir, 'by-id-link');
    symlinkSync(LOOP!, link);
    const info = await inspectBlockDevice(link);
    expect(info.path).toBe(link);
    expect(info.resolvedPath).toBe(LOOP);
    expect(info.size).toBe(SIZE);
  });

  for (const threads of [false, true])
    it.skipIf(!LOOP)(
      `hashes exactly the device's bytes, once (${threads ? 'worker threads' : 'inline'})${skipReason}`,
      async () => {
        let last = 0;
        const r = await digestBlockDevice(LOOP!, ['sha256', 'md5'], {
          threads,
          blockSize: 1 << 20,
          onProgress: (done, total) => {
            expect(total).toBe(SIZE);
            expect(done).toBeGreaterThanOrEqual(last);
            last = done;
          },
        });
        expect(r.size).toBe(SIZE);
        expect(r.digests.sha256).toEqual(sha256(content));
        expect(r.digests.md5).toEqual(new Uint8Array(createHash('md5').update(content).digest()));
        expect(last).toBe(SIZE);
        expect(r.device.readOnly).toBe(true);
      },
    );

  it.skipIf(!LOOP)(`hashes through a symbolic link the device it resolves to${skipReason}`, async () => {
    const link = join(dir, 'digest-link');
    symlinkSync(LOOP!, link);
    const r = await digestBlockDevice(link, ['sha256']);
    expect(r.device.resolvedPath).toBe(LOOP);
    expect(r.digests.sha256).toEqual(sha256(content));
  });

  it.skipIf(!mountPoint)(`reports a mount of the device${mountWhy}`, async () => {
    const info = await inspectBlockDevice(fsLoop!);
    expect(info.mounts).toEqual([{ source: fsLoop, mountPoint: realpathSync(mountPoint!), fsType: 'ext2' }]);
  });

  it.skipIf(!mountPoint)(
    `finds the mount by device number under another device node${mountWhy}`,
    async () => {
      const info = await inspectBlockDevice(fsLoop!);
      const node = join(dir, 'other-node');
      execFileSync('mknod', [node, 'b', String(info.major), String(info.minor)]);
      const other = await inspectBlockDevice(node);
      expect(other.resolvedPath).toBe(realpathSync(node));
      expect(other.name).toBe(info.name);
      expect(other.mounts.map((m) => m.source)).toEqual([fsLoop]);
    },
  );
});

describe('what is not a block device is refused', () => {
  it('a regular file', async () => {
    await expect(inspectBlockDevice(imagePath)).rejects.toMatchObject({
      code: 'DEVICE_UNUSABLE',
      category: 'input',
      message: expect.stringMatching(/not a block device/),
    });
    await expect(digestBlockDevice(imagePath, ['sha256'])).rejects.toMatchObject({ code: 'DEVICE_UNUSABLE' });
  });

  it('a character device (/dev/null), also behind a symbolic link', async () => {
    await expect(inspectBlockDevice('/dev/null')).rejects.toMatchObject({ code: 'DEVICE_UNUSABLE' });
    const link = join(dir, 'null-link');
    symlinkSync('/dev/null', link);
    await expect(digestBlockDevice(link, ['sha256'])).rejects.toMatchObject({ code: 'DEVICE_UNUSABLE' });
  });

  it('a path that does not exist, and a directory', async () => {
    await expect(inspectBlockDevice(join(dir, 'absent'))).rejects.toMatchObject({ code: 'DEVICE_UNUSABLE' });
    await expect(inspectBlockDevice(dir)).rejects.toMatchObject({ code: 'DEVICE_UNUSABLE' });
  });
});

describe('parsing', () => {
  it('parseMounts undoes the octal escapes of /proc/self/mounts', () => {
    const text = '/dev/sdb1 /media/a\\040b\\011c ext4 ro,relatime 0 0\nproc /proc proc rw 0 0\n\n';
    expect(parseMounts(text)).toEqual([
      { source: '/dev/sdb1', mountPoint: '/media/a b\tc', fsType: 'ext4' },
      { source: 'proc', mountPoint: '/proc', fsType: 'proc' },
    ]);
  });

  it('majorMinor splits a Linux dev_t, large numbers included', () => {
    expect(majorMinor(0x700n)).toEqual({ major: 7, minor: 0 });
    expect(majorMinor(0x10300n)).toEqual({ major: 259, minor: 0 });
    const major = 4097n;
    const minor = 300_000n;
    const dev =
      (minor & 0xffn) | ((major & 0xfffn) << 8n) | ((minor & ~0xffn) << 12n) | ((major & ~0xfffn) << 32n);
    expect(majorMinor(dev)).toEqual({ major: 4097, minor: 300_000 });
  });
});

import fs from 'node:fs';

/** The part of `fs.Dirent` the walker uses. */
export interface DirentLike {
  name: string;
  isDirectory(): boolean;
}

/** The part of `fs.Stats` the scanner uses. */
export interface StatsLike {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/**
 * The synchronous subset of `node:fs` a scan needs. Sync calls are several
 * times faster than `fs.promises` for a stat-only re-check (see the scanner's
 * JSDoc); the walk yields to the event loop between batches instead.
 * Errors are thrown as Node does, with an OS `code` (`ENOENT`, `EACCES`, ...).
 *
 * @example
 * const counting: FsLike = { ...nodeFs, readSync: (...args) => { reads++; return nodeFs.readSync(...args); } };
 */
export interface FsLike {
  readdirSync(path: string, options: { withFileTypes: true }): DirentLike[];
  lstatSync(path: string): StatsLike;
  statSync(path: string): StatsLike;
  readlinkSync(path: string): string;
  realpathSync(path: string): string;
  openSync(path: string, flags: number): number;
  fstatSync(fd: number): StatsLike;
  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number | null): number;
  closeSync(fd: number): void;
}

/**
 * The real file system.
 *
 * @example await scanFiles({ root: '/etc/app', fs: nodeFs }); // the default
 */
export const nodeFs: FsLike = {
  readdirSync: (path, options) => fs.readdirSync(path, options),
  lstatSync: (path) => fs.lstatSync(path),
  statSync: (path) => fs.statSync(path),
  readlinkSync: (path) => fs.readlinkSync(path),
  realpathSync: (path) => fs.realpathSync(path),
  openSync: (path, flags) => fs.openSync(path, flags),
  fstatSync: (fd) => fs.fstatSync(fd),
  readSync: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  closeSync: (fd) => fs.closeSync(fd),
};

// Run as its own process: which process, if any, holds a lock on the byte of a -shm file SQLite uses to
// tell whether another connection has the wal-index open (its "DMS" byte, offset 128 — unixShmLock in
// os_unix.c). POSIX F_GETLK only reports locks of other processes, hence the separate process.
// Prints {"locked":boolean,"pid":number}. Linux layout of struct flock (x86-64 and arm64).
import { dlopen, FFIType, ptr } from "bun:ffi";
import { closeSync, openSync } from "node:fs";

const F_GETLK = 5;
const F_WRLCK = 1;
const F_UNLCK = 2;
const DMS_BYTE = 128n;

const libc = dlopen("libc.so.6", { fcntl: { args: [FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 } });
const fd = openSync(process.argv[2]!, "r+");
const flock = new DataView(new ArrayBuffer(32));
flock.setInt16(0, F_WRLCK, true);
flock.setBigInt64(8, DMS_BYTE, true);
flock.setBigInt64(16, 1n, true);
if (libc.symbols.fcntl(fd, F_GETLK, ptr(new Uint8Array(flock.buffer))) !== 0) throw new Error("fcntl(F_GETLK) failed");
closeSync(fd);
const locked = flock.getInt16(0, true) !== F_UNLCK;
console.log(JSON.stringify({ locked, pid: locked ? flock.getInt32(24, true) : 0 }));

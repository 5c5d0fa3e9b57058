using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>Which file a path or handle refers to (device and inode, or volume and file index on Windows), and its size.</summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, long Size)
{
    public bool SameFileAs(FileIdentity other) => Device == other.Device && Inode == other.Inode;
}

/// <summary>What kind of file a path or handle is (Unix file types).</summary>
internal enum FileKind { Regular, Directory, SymbolicLink, Fifo, CharacterDevice, BlockDevice, Socket, Unknown }

/// <summary>A file's kind, its number of names, its owner and group, and its mode bits (permissions, sticky bit) on Unix.</summary>
internal readonly record struct FileStatus(FileKind Kind, uint Links, uint UserId, uint GroupId, UnixFileMode Mode)
{
    /// <summary>The kind as people say it: "a FIFO", "a symbolic link"...</summary>
    public string KindText => Kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "a file of an unknown kind",
    };

    /// <summary>The permission bits in octal, as ls and chmod show them: "0644".</summary>
    public string ModeText => "0" + Convert.ToString((int)Mode & 0xFFF, 8).PadLeft(3, '0');
}

/// <summary>
/// The native calls .NET does not offer: append-mode opens, advisory locks (flock / LockFileEx),
/// file identity (statx / GetFileInformationByHandle), a file's owner, truncation after a failed
/// write, and directory sync. Linux is what CI runs; the Windows and macOS paths follow those systems'
/// documented APIs.
/// </summary>
internal static class NativeFile
{
    /// <summary>
    /// Opens <paramref name="path"/> for appending, creating it (0600) when missing. On Unix no symbolic
    /// link is followed (O_NOFOLLOW) and a FIFO does not block the open; what was opened is checked by
    /// <see cref="FileSafety.RequireWritable"/> before anything is written.
    /// </summary>
    public static SafeFileHandle OpenForAppend(string path)
    {
        if (OperatingSystem.IsWindows()) return Windows.Open(path, Windows.FILE_APPEND_DATA | Windows.FILE_READ_DATA);
        return Checked(Unix.OpenNoFollow(path, Unix.O_RDWR | Unix.O_APPEND | Unix.O_CREAT), path, forWriting: true);
    }

    /// <summary>Disposes the handle when the file is not one to use (<see cref="FileSafety"/>).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static SafeFileHandle Checked(SafeFileHandle handle, string path, bool forWriting)
    {
        try
        {
            if (forWriting) FileSafety.RequireWritable(handle, path);
            else FileSafety.RequireRegular(handle, path);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a file used only for its locks, creating it (0600) when <paramref name="create"/> is set
    /// (for a writer, who then requires it to be its own, as <see cref="OpenForAppend"/>); without,
    /// for a reader, any regular file will do. Not through FileStream: .NET takes locks of its own on
    /// FileStreams. No link is followed.
    /// </summary>
    public static SafeFileHandle OpenLockFile(string path, bool create = true)
    {
        if (OperatingSystem.IsWindows()) return Windows.Open(path, Windows.GENERIC_READ | Windows.GENERIC_WRITE, create);
        // A reader takes an existing lock file of the log's owner (root reading another user's log); a writer only its own.
        return Checked(Unix.OpenNoFollow(path, Unix.O_RDWR | (create ? Unix.O_CREAT : 0)), path, forWriting: create);
    }

    /// <summary>The kind, links, owner and mode of the open file (Unix).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static FileStatus StatusOf(SafeFileHandle handle) => Unix.StatusOf(handle);

    /// <summary>The kind, links, owner and mode of the file at <paramref name="path"/> (links followed), or null when there is none (Unix).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static FileStatus? StatusOf(string path) => Unix.StatusOf(path);

    /// <summary>Sets the open file's permission bits (Unix).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void ChangeMode(SafeFileHandle handle, UnixFileMode mode)
    {
        if (Unix.fchmod(handle, (uint)mode) != 0) throw Unix.Error("fchmod", null);
    }

    public static int Write(SafeFileHandle handle, ReadOnlySpan<byte> data)
    {
        if (OperatingSystem.IsWindows()) return Windows.Write(handle, data);
        while (true)
        {
            var written = Unix.Write(handle, data);
            if (written >= 0) return (int)written;
            if (Marshal.GetLastPInvokeError() != Unix.EINTR) throw Unix.Error("write", null);
        }
    }

    /// <summary>
    /// The handle's file offset: after an append, the end of what it wrote (O_APPEND moves it there).
    /// Null where it is not known (Windows append handles).
    /// </summary>
    public static long? Offset(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows()) return null;
        var offset = Unix.lseek(handle, 0, Unix.SEEK_CUR);
        return offset >= 0 ? offset : null;
    }

    public static void Sync(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows())
        {
            if (!Windows.FlushFileBuffers(handle)) throw Windows.Error("FlushFileBuffers");
            return;
        }
        if (Unix.fsync(handle) != 0) throw Unix.Error("fsync", null);
    }

    public static void Truncate(SafeFileHandle handle, long length)
    {
        if (OperatingSystem.IsWindows()) return; // append-only handles cannot truncate; the fragment gets a newline instead
        if (Unix.ftruncate(handle, length) != 0) throw Unix.Error("ftruncate", null);
    }

    /// <summary>Makes a rename or delete in <paramref name="directory"/> durable (a no-op on Windows, whose file system journals it).</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        using var handle = Unix.Open(directory, Unix.O_RDONLY);
        if (Unix.fsync(handle) != 0) throw Unix.Error("fsync", directory);
    }

    /// <summary>Takes an advisory lock on the whole file; returns false only when <paramref name="wait"/> is false and the lock is held elsewhere.</summary>
    public static bool Lock(SafeFileHandle handle, bool exclusive, bool wait)
    {
        if (OperatingSystem.IsWindows()) return Windows.Lock(handle, exclusive, wait);
        var operation = (exclusive ? Unix.LOCK_EX : Unix.LOCK_SH) | (wait ? 0 : Unix.LOCK_NB);
        while (Unix.flock(handle, operation) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Unix.EINTR) continue;
            if (errno == Unix.EWOULDBLOCK) return false;
            throw Unix.Error("flock", null);
        }
        return true;
    }

    public static void Unlock(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows()) Windows.Unlock(handle);
        else if (Unix.flock(handle, Unix.LOCK_UN) != 0) throw Unix.Error("flock", null);
    }

    /// <summary>
    /// The regular file at <paramref name="path"/> (links followed) opened for reading, or null when
    /// nothing is there or it is not a regular file. A FIFO or a device is never opened in a way that
    /// waits: on Unix the open does not block, and the handle is checked before anything is read.
    /// </summary>
    public static SafeFileHandle? OpenRegularFileForReading(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            if (!File.Exists(path)) return null; // a directory, or nothing (named pipes live under \\.\pipe\, not among files)
            return OpenForReading(path);
        }
        var handle = OpenForReading(path);
        if (handle is null || Unix.StatusOf(handle).Kind == FileKind.Regular) return handle;
        handle.Dispose();
        return null;
    }

    /// <summary>
    /// The file at <paramref name="path"/> opened for reading whatever its kind, or null when nothing is
    /// there; on Unix the open never waits (O_NONBLOCK: a FIFO without a writer would block it), and
    /// without <paramref name="followLink"/> a symbolic link in the last component is refused. The
    /// caller checks the kind before reading (<see cref="FileSafety.OpenRegularForReading"/>).
    /// </summary>
    /// <exception cref="UnsafeFileException">The path is a symbolic link, and <paramref name="followLink"/> is false.</exception>
    public static SafeFileHandle? OpenForReading(string path, bool followLink = true)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception gone) when (gone is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
        }
        try
        {
            return followLink ? Unix.Open(path, Unix.O_RDONLY | Unix.O_NONBLOCK) : Unix.OpenNoFollow(path, Unix.O_RDONLY);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (IOException error) when (error.HResult == Unix.ENOTDIR) // a file where a directory of the path should be
        {
            return null;
        }
    }

    /// <summary>The identity of the file at <paramref name="path"/>, or null when there is none.</summary>
    public static FileIdentity? IdentityOf(string path)
    {
        if (OperatingSystem.IsWindows()) return Windows.IdentityOf(path);
        return Unix.IdentityOf(path);
    }

    /// <summary>How many names the open file has: 0 once it was deleted while open (Windows: 1, its deletes wait for handles).</summary>
    public static uint LinkCountOf(SafeFileHandle handle) => OperatingSystem.IsWindows() ? 1 : Unix.StatusOf(handle).Links;

    public static FileIdentity IdentityOf(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows()) return Windows.IdentityOf(handle);
        return Unix.IdentityOf(handle);
    }

    /// <summary>The process's effective user id, which owns the files it creates.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static uint EffectiveUserId => Unix.geteuid();

    private static class Unix
    {
        public const int EINTR = 4;
        public const int ENOENT = 2;
        public static readonly int EWOULDBLOCK = OperatingSystem.IsMacOS() ? 35 : 11;
        public const int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
        public const int O_RDONLY = 0x0, O_RDWR = 0x2;
        public static readonly int O_APPEND = OperatingSystem.IsMacOS() ? 0x8 : 0x400;
        public static readonly int O_CREAT = OperatingSystem.IsMacOS() ? 0x200 : 0x40;
        private static readonly int O_CLOEXEC = OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;
        private const int OwnerReadWrite = 0x180; // 0600

        // O_NOFOLLOW differs between architectures on Linux (asm-generic vs arm's own value) and on macOS.
        private static readonly int O_NOFOLLOW = OperatingSystem.IsMacOS() ? 0x100
            : RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 ? 0x8000 : 0x20000;
        private static readonly int ELOOP = OperatingSystem.IsMacOS() ? 62 : 40;

        /// <summary>
        /// Opens without following a symbolic link in the last component, and without waiting on a FIFO
        /// (O_NONBLOCK, which changes nothing for a regular file).
        /// </summary>
        /// <exception cref="UnsafeFileException">The path is a symbolic link.</exception>
        public static SafeFileHandle OpenNoFollow(string path, int flags)
        {
            try
            {
                return Open(path, flags | O_NOFOLLOW | O_NONBLOCK);
            }
            catch (IOException error) when (error.HResult == ELOOP)
            {
                throw new UnsafeFileException(path, $"'{path}' is a symbolic link: ScoutAudit follows no link to a file of a log, " +
                    "since a link there may lead to any file of someone else's choosing.", error);
            }
        }

        public static SafeFileHandle Open(string path, int flags)
        {
            var fd = open(path, flags | O_CLOEXEC, OwnerReadWrite);
            if (fd < 0 && Marshal.GetLastPInvokeError() == ENOENT)
            {
                // With O_CREAT: a directory of the path is missing, or the file system makes no files (/proc).
                var text = Marshal.GetPInvokeErrorMessage(ENOENT);
                throw new FileNotFoundException($"open '{path}' failed: {text} (errno {ENOENT})", path, new Win32Exception(ENOENT, text));
            }
            if (fd < 0) throw Error("open", path);
            return new SafeFileHandle(fd, ownsHandle: true);
        }

        public const int ENOTDIR = 20;
        public static readonly int O_NONBLOCK = OperatingSystem.IsMacOS() ? 0x4 : 0x800;
        private const int S_IFMT = 0xF000;

        [DllImport("libc", SetLastError = true)]
        private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

        [DllImport("libc", SetLastError = true)]
        private static extern unsafe nint write(SafeFileHandle fd, byte* buffer, nint count);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(SafeFileHandle fd);

        public const int SEEK_CUR = 1;

        [DllImport("libc", SetLastError = true)]
        public static extern long lseek(SafeFileHandle fd, long offset, int whence);

        [DllImport("libc", SetLastError = true)]
        public static extern int ftruncate(SafeFileHandle fd, long length);

        [DllImport("libc", SetLastError = true)]
        public static extern int flock(SafeFileHandle fd, int operation);

        [DllImport("libc", SetLastError = true)]
        public static extern int fchmod(SafeFileHandle fd, uint mode);

        public static unsafe nint Write(SafeFileHandle fd, ReadOnlySpan<byte> data)
        {
            fixed (byte* bytes = data) return write(fd, bytes, data.Length);
        }

        // Linux: statx, whose struct layout is the same on every architecture (unlike struct stat).
        private const int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000;
        private const uint STATX_INO_SIZE = 0x100 | 0x200;

        [DllImport("libc", SetLastError = true)]
        private static extern unsafe int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte* buffer);

        // macOS: struct stat with 64-bit inodes (the $INODE64 symbols on x64; the plain ones on arm64).
        [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true)]
        private static extern unsafe int stat_x64([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte* buffer);

        [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
        private static extern unsafe int stat_arm64([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte* buffer);

        [DllImport("libc", EntryPoint = "fstat$INODE64", SetLastError = true)]
        private static extern unsafe int fstat_x64(SafeFileHandle fd, byte* buffer);

        [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
        private static extern unsafe int fstat_arm64(SafeFileHandle fd, byte* buffer);

        [DllImport("libc", SetLastError = true)]
        public static extern uint geteuid();

        public static unsafe FileIdentity? IdentityOf(string path)
        {
            var buffer = stackalloc byte[256];
            return Stat(path, STATX_INO_SIZE, buffer) ? Decode(buffer) : null;
        }

        public static unsafe FileIdentity IdentityOf(SafeFileHandle handle)
        {
            var buffer = stackalloc byte[256];
            Stat(handle, STATX_INO_SIZE, buffer);
            return Decode(buffer);
        }

        private const uint STATX_STATUS = 0x1 | 0x2 | 0x4 | 0x8 | 0x10; // type, mode, nlink, uid, gid

        public static unsafe FileStatus StatusOf(SafeFileHandle handle)
        {
            var buffer = stackalloc byte[256];
            Stat(handle, STATX_STATUS, buffer);
            return DecodeStatus(buffer);
        }

        public static unsafe FileStatus? StatusOf(string path)
        {
            var buffer = stackalloc byte[256];
            return Stat(path, STATX_STATUS, buffer) ? DecodeStatus(buffer) : null;
        }

        private static unsafe FileStatus DecodeStatus(byte* buffer)
        {
            // macOS struct stat: st_mode (16 bits) at 4, st_nlink (16 bits) at 6, st_uid at 16, st_gid at 20.
            // struct statx: stx_nlink at 16, stx_uid at 20, stx_gid at 24, stx_mode (16 bits) at 28.
            int mode;
            uint links, uid, gid;
            if (OperatingSystem.IsMacOS())
            {
                mode = *(ushort*)(buffer + 4);
                links = *(ushort*)(buffer + 6);
                uid = *(uint*)(buffer + 16);
                gid = *(uint*)(buffer + 20);
            }
            else
            {
                mode = *(ushort*)(buffer + 28);
                links = *(uint*)(buffer + 16);
                uid = *(uint*)(buffer + 20);
                gid = *(uint*)(buffer + 24);
            }
            var kind = (mode & S_IFMT) switch
            {
                0x8000 => FileKind.Regular,
                0x4000 => FileKind.Directory,
                0xA000 => FileKind.SymbolicLink,
                0x1000 => FileKind.Fifo,
                0x2000 => FileKind.CharacterDevice,
                0x6000 => FileKind.BlockDevice,
                0xC000 => FileKind.Socket,
                _ => FileKind.Unknown,
            };
            return new FileStatus(kind, links, uid, gid, (UnixFileMode)(mode & 0xFFF));
        }

        /// <summary>Fills <paramref name="buffer"/> (statx on Linux, struct stat on macOS); false when there is no such file.</summary>
        private static unsafe bool Stat(string path, uint mask, byte* buffer)
        {
            int result;
            if (OperatingSystem.IsMacOS())
                result = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? stat_arm64(path, buffer) : stat_x64(path, buffer);
            else
                result = statx(AT_FDCWD, path, 0, mask, buffer);
            if (result == 0) return true;
            if (Marshal.GetLastPInvokeError() == ENOENT) return false;
            throw Error("stat", path);
        }

        private static unsafe void Stat(SafeFileHandle handle, uint mask, byte* buffer)
        {
            int result;
            if (OperatingSystem.IsMacOS())
            {
                result = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? fstat_arm64(handle, buffer) : fstat_x64(handle, buffer);
            }
            else
            {
                var added = false;
                handle.DangerousAddRef(ref added);
                try
                {
                    result = statx((int)handle.DangerousGetHandle(), "", AT_EMPTY_PATH, mask, buffer);
                }
                finally
                {
                    if (added) handle.DangerousRelease();
                }
            }
            if (result != 0) throw Error("fstat", null);
        }

        private static unsafe FileIdentity Decode(byte* buffer)
        {
            if (OperatingSystem.IsMacOS())
                return new FileIdentity(*(uint*)buffer, *(ulong*)(buffer + 8), *(long*)(buffer + 96));
            // struct statx: stx_ino at 32, stx_size at 40, stx_dev_major/minor at 136/140.
            var device = ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140);
            return new FileIdentity(device, *(ulong*)(buffer + 32), *(long*)(buffer + 40));
        }

        public static IOException Error(string call, string? path)
        {
            var errno = Marshal.GetLastPInvokeError();
            var text = Marshal.GetPInvokeErrorMessage(errno);
            var where = path is null ? "" : $" '{path}'";
            return new IOException($"{call}{where} failed: {text} (errno {errno})", new Win32Exception(errno, text))
            {
                HResult = errno,
            };
        }
    }

    private static class Windows
    {
        public const uint FILE_READ_DATA = 0x1, FILE_APPEND_DATA = 0x4;
        public const uint GENERIC_READ = 0x80000000, GENERIC_WRITE = 0x40000000;
        private const uint SYNCHRONIZE = 0x100000, FILE_READ_ATTRIBUTES = 0x80;
        private const uint FILE_SHARE_ALL = 0x7; // read, write, delete: rotation renames files others hold open
        private const uint OPEN_EXISTING = 3, OPEN_ALWAYS = 4;
        private const uint FILE_ATTRIBUTE_NORMAL = 0x80, FILE_FLAG_BACKUP_SEMANTICS = 0x02000000;
        private const uint LOCKFILE_FAIL_IMMEDIATELY = 0x1, LOCKFILE_EXCLUSIVE_LOCK = 0x2;
        private const int ERROR_FILE_NOT_FOUND = 2, ERROR_PATH_NOT_FOUND = 3, ERROR_LOCK_VIOLATION = 33;

        public static SafeFileHandle Open(string path, uint access, bool create = true)
        {
            // With FILE_APPEND_DATA and without FILE_WRITE_DATA, every WriteFile lands at the end, atomically.
            var handle = CreateFileW(path, access | SYNCHRONIZE | FILE_READ_ATTRIBUTES, FILE_SHARE_ALL,
                IntPtr.Zero, create ? OPEN_ALWAYS : OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, IntPtr.Zero);
            if (handle.IsInvalid) throw Error($"CreateFile '{path}'");
            return handle;
        }

        public static unsafe int Write(SafeFileHandle handle, ReadOnlySpan<byte> data)
        {
            fixed (byte* bytes = data)
            {
                if (!WriteFile(handle, bytes, data.Length, out var written, IntPtr.Zero)) throw Error("WriteFile");
                return written;
            }
        }

        public static unsafe bool Lock(SafeFileHandle handle, bool exclusive, bool wait)
        {
            var overlapped = stackalloc byte[32]; // OVERLAPPED, zeroed: the lock covers byte 0
            new Span<byte>(overlapped, 32).Clear();
            var flags = (exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0) | (wait ? 0 : LOCKFILE_FAIL_IMMEDIATELY);
            if (LockFileEx(handle, flags, 0, 1, 0, overlapped)) return true;
            if (!wait && Marshal.GetLastPInvokeError() == ERROR_LOCK_VIOLATION) return false;
            throw Error("LockFileEx");
        }

        public static unsafe void Unlock(SafeFileHandle handle)
        {
            var overlapped = stackalloc byte[32];
            new Span<byte>(overlapped, 32).Clear();
            if (!UnlockFileEx(handle, 0, 1, 0, overlapped)) throw Error("UnlockFileEx");
        }

        public static FileIdentity? IdentityOf(string path)
        {
            using var handle = CreateFileW(path, FILE_READ_ATTRIBUTES, FILE_SHARE_ALL, IntPtr.Zero, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, IntPtr.Zero);
            if (handle.IsInvalid)
            {
                var code = Marshal.GetLastPInvokeError();
                if (code is ERROR_FILE_NOT_FOUND or ERROR_PATH_NOT_FOUND) return null;
                throw Error($"CreateFile '{path}'");
            }
            return IdentityOf(handle);
        }

        public static unsafe FileIdentity IdentityOf(SafeFileHandle handle)
        {
            // BY_HANDLE_FILE_INFORMATION: volume serial at 28, size high/low at 32/36, index high/low at 44/48.
            var info = stackalloc byte[52];
            if (!GetFileInformationByHandle(handle, info)) throw Error("GetFileInformationByHandle");
            var size = ((long)*(uint*)(info + 32) << 32) | *(uint*)(info + 36);
            var index = ((ulong)*(uint*)(info + 44) << 32) | *(uint*)(info + 48);
            return new FileIdentity(*(uint*)(info + 28), index, size);
        }

        public static IOException Error(string call)
        {
            var code = Marshal.GetLastPInvokeError();
            var text = Marshal.GetPInvokeErrorMessage(code);
            return new IOException($"{call} failed: {text} (error {code})", new Win32Exception(code, text));
        }

        [DllImport("kernel32", SetLastError = true, CharSet = CharSet.Unicode)]
        private static extern SafeFileHandle CreateFileW(string name, uint access, uint share, IntPtr security, uint disposition, uint flags, IntPtr template);

        [DllImport("kernel32", SetLastError = true)]
        private static extern unsafe bool WriteFile(SafeFileHandle handle, byte* buffer, int count, out int written, IntPtr overlapped);

        [DllImport("kernel32", SetLastError = true)]
        public static extern bool FlushFileBuffers(SafeFileHandle handle);

        [DllImport("kernel32", SetLastError = true)]
        private static extern unsafe bool LockFileEx(SafeFileHandle handle, uint flags, uint reserved, uint lengthLow, uint lengthHigh, byte* overlapped);

        [DllImport("kernel32", SetLastError = true)]
        private static extern unsafe bool UnlockFileEx(SafeFileHandle handle, uint reserved, uint lengthLow, uint lengthHigh, byte* overlapped);

        [DllImport("kernel32", SetLastError = true)]
        private static extern unsafe bool GetFileInformationByHandle(SafeFileHandle handle, byte* info);
    }
}

using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

internal static partial class NativeFile
{
    /// <summary>
    /// The POSIX calls Linux and macOS share, and the constants whose values differ between them
    /// (from each system's fcntl.h, errno.h and sys/file.h). A file's status comes from each system's
    /// own call: <see cref="Linux"/> (statx), <see cref="MacOS"/> (struct stat).
    /// </summary>
    /// <remarks>
    /// Why P/Invoke and not .NET: File.OpenHandle cannot open without following a link (O_NOFOLLOW) or
    /// without waiting on a FIFO (O_NONBLOCK), nor open a directory to sync it; FileStream takes flock
    /// locks of its own and FileStream.Lock takes fcntl record locks, not flock; RandomAccess writes with
    /// pwrite at an offset, not write at the O_APPEND end; .NET 8 has no fsync, ftruncate or lseek on a
    /// bare handle, nor the effective user id; and File.SetUnixFileMode throws
    /// UnauthorizedAccessException for EPERM, where callers of <see cref="ChangeMode"/> catch the
    /// IOException (errno as HResult) of a file system without Unix modes.
    /// </remarks>
    private static class Unix
    {
        public const int EINTR = 4;
        public const int ENOENT = 2;
        public const int ENOTDIR = 20;
        public static readonly int EWOULDBLOCK = OperatingSystem.IsMacOS() ? 35 : 11;
        private static readonly int ELOOP = OperatingSystem.IsMacOS() ? 62 : 40;
        public const int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
        public const int O_RDONLY = 0x0, O_RDWR = 0x2;
        public static readonly int O_APPEND = OperatingSystem.IsMacOS() ? 0x8 : 0x400;
        public static readonly int O_CREAT = OperatingSystem.IsMacOS() ? 0x200 : 0x40;
        public static readonly int O_NONBLOCK = OperatingSystem.IsMacOS() ? 0x4 : 0x800;
        private static readonly int O_CLOEXEC = OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;
        private const int OwnerReadWrite = 0x180; // 0600
        public const int SEEK_CUR = 1;

        // O_NOFOLLOW differs between architectures on Linux (asm-generic vs arm's own value) and on macOS.
        private static readonly int O_NOFOLLOW = OperatingSystem.IsMacOS() ? 0x100
            : RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 ? 0x8000 : 0x20000;

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

        public static unsafe nint Write(SafeFileHandle fd, ReadOnlySpan<byte> data)
        {
            fixed (byte* bytes = data) return write(fd, bytes, data.Length);
        }

        /// <summary>The status of the open file, from the system's own call.</summary>
        public static FileStatus StatusOf(SafeFileHandle handle) =>
            OperatingSystem.IsMacOS() ? MacOS.StatusOf(handle) : Linux.StatusOf(handle);

        /// <summary>The status of the file at <paramref name="path"/> (links followed), or null when there is none.</summary>
        public static FileStatus? StatusOf(string path) =>
            OperatingSystem.IsMacOS() ? MacOS.StatusOf(path) : Linux.StatusOf(path);

        public static FileIdentity IdentityOf(SafeFileHandle handle) =>
            OperatingSystem.IsMacOS() ? MacOS.IdentityOf(handle) : Linux.IdentityOf(handle);

        /// <summary>The identity of the file at <paramref name="path"/> (links followed), or null when there is none.</summary>
        public static FileIdentity? IdentityOf(string path) =>
            OperatingSystem.IsMacOS() ? MacOS.IdentityOf(path) : Linux.IdentityOf(path);

        /// <summary>A status from the fields every system's stat has; <paramref name="mode"/> is st_mode, type bits and all.</summary>
        public static FileStatus StatusFrom(int mode, uint links, uint userId, uint groupId)
        {
            var kind = (mode & S_IFMT) switch
            {
                S_IFREG => FileKind.Regular,
                S_IFDIR => FileKind.Directory,
                S_IFLNK => FileKind.SymbolicLink,
                S_IFIFO => FileKind.Fifo,
                S_IFCHR => FileKind.CharacterDevice,
                S_IFBLK => FileKind.BlockDevice,
                S_IFSOCK => FileKind.Socket,
                _ => FileKind.Unknown,
            };
            return new FileStatus(kind, links, userId, groupId, (UnixFileMode)(mode & 0xFFF));
        }

        // The file type bits of st_mode, the same on Linux and macOS (sys/stat.h).
        private const int S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IFLNK = 0xA000,
            S_IFIFO = 0x1000, S_IFCHR = 0x2000, S_IFBLK = 0x6000, S_IFSOCK = 0xC000;

        /// <summary>The failed call's errno as an IOException, whose HResult is the errno.</summary>
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

        [DllImport("libc", SetLastError = true)]
        private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

        [DllImport("libc", SetLastError = true)]
        private static extern unsafe nint write(SafeFileHandle fd, byte* buffer, nint count);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(SafeFileHandle fd);

        [DllImport("libc", SetLastError = true)]
        public static extern long lseek(SafeFileHandle fd, long offset, int whence);

        [DllImport("libc", SetLastError = true)]
        public static extern int ftruncate(SafeFileHandle fd, long length);

        [DllImport("libc", SetLastError = true)]
        public static extern int flock(SafeFileHandle fd, int operation);

        [DllImport("libc", SetLastError = true)]
        public static extern int fchmod(SafeFileHandle fd, uint mode);

        [DllImport("libc", SetLastError = true)]
        public static extern uint geteuid();
    }
}

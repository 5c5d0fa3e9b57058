using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>The few native calls <see cref="AppendOnlyFile"/> needs, for Linux, macOS and Windows.</summary>
internal static class NativeFile
{
    public static SafeFileHandle OpenForAppend(string path)
    {
        if (OperatingSystem.IsWindows()) return Windows.Open(path);
        var fd = Unix.open(path, Unix.OpenFlags, Unix.OwnerReadWrite);
        if (fd < 0) throw Unix.Error("open", path);
        return new SafeFileHandle(fd, ownsHandle: true);
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
        if (OperatingSystem.IsWindows()) return; // see Windows.Open: no truncate with append-only rights
        if (Unix.ftruncate(handle, length) != 0) throw Unix.Error("ftruncate", null);
    }

    private static class Unix
    {
        public const int EINTR = 4;
        public const int OwnerReadWrite = 0x180; // 0600

        private const int O_RDWR = 0x2; // read too: the tail is checked on open and after a failed write
        public static readonly int OpenFlags = OperatingSystem.IsMacOS()
            ? O_RDWR | 0x8 /* O_APPEND */ | 0x200 /* O_CREAT */ | 0x1000000 /* O_CLOEXEC */
            : O_RDWR | 0x400 /* O_APPEND */ | 0x40 /* O_CREAT */ | 0x80000 /* O_CLOEXEC */;

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

        [DllImport("libc", SetLastError = true)]
        private static extern unsafe nint write(SafeFileHandle fd, byte* buffer, nint count);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(SafeFileHandle fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int ftruncate(SafeFileHandle fd, long length);

        public static unsafe nint Write(SafeFileHandle fd, ReadOnlySpan<byte> data)
        {
            fixed (byte* bytes = data) return write(fd, bytes, data.Length);
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
        private const uint FILE_APPEND_DATA = 0x4;
        private const uint SYNCHRONIZE = 0x100000;
        private const uint FILE_SHARE_ALL = 0x7; // read, write, delete: rotation renames the file while others have it open
        private const uint OPEN_ALWAYS = 4;

        public static SafeFileHandle Open(string path)
        {
            // Append-only access makes every WriteFile land at the end, atomically.
            var handle = CreateFileW(path, FILE_APPEND_DATA | 0x1 /* FILE_READ_DATA */ | SYNCHRONIZE | 0x80 /* FILE_READ_ATTRIBUTES */, FILE_SHARE_ALL,
                IntPtr.Zero, OPEN_ALWAYS, 0x80 /* FILE_ATTRIBUTE_NORMAL */, IntPtr.Zero);
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
    }
}

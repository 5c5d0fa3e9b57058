using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using FILETIME = System.Runtime.InteropServices.ComTypes.FILETIME;

namespace ScoutAudit.Core;

internal static partial class NativeFile
{
    /// <summary>BY_HANDLE_FILE_INFORMATION as &lt;fileapi.h&gt; declares it: 52 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ByHandleFileInformation
    {
        public uint FileAttributes;
        public FILETIME CreationTime;
        public FILETIME LastAccessTime;
        public FILETIME LastWriteTime;
        public uint VolumeSerialNumber;
        public uint FileSizeHigh;
        public uint FileSizeLow;
        public uint NumberOfLinks;
        public uint FileIndexHigh;
        public uint FileIndexLow;

        public readonly long FileSize => ((long)FileSizeHigh << 32) | FileSizeLow;

        public readonly ulong FileIndex => ((ulong)FileIndexHigh << 32) | FileIndexLow;
    }

    /// <summary>
    /// The kernel32 calls. Why P/Invoke and not .NET: FileStream and File.OpenHandle ask for
    /// FILE_WRITE_DATA with every write access, so a write may land anywhere, where FILE_APPEND_DATA
    /// alone makes every WriteFile land at the end, atomically; FileStream.Lock takes no shared lock
    /// and cannot wait; and .NET publishes no file index (the identity of a file).
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
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

        public static bool Lock(SafeFileHandle handle, bool exclusive, bool wait)
        {
            var overlapped = new NativeOverlapped(); // zeroed: the lock covers byte 0
            var flags = (exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0) | (wait ? 0 : LOCKFILE_FAIL_IMMEDIATELY);
            if (LockFileEx(handle, flags, 0, 1, 0, ref overlapped)) return true;
            if (!wait && Marshal.GetLastPInvokeError() == ERROR_LOCK_VIOLATION) return false;
            throw Error("LockFileEx");
        }

        public static void Unlock(SafeFileHandle handle)
        {
            var overlapped = new NativeOverlapped();
            if (!UnlockFileEx(handle, 0, 1, 0, ref overlapped)) throw Error("UnlockFileEx");
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

        public static FileIdentity IdentityOf(SafeFileHandle handle)
        {
            if (!GetFileInformationByHandle(handle, out var info)) throw Error("GetFileInformationByHandle");
            return new FileIdentity(info.VolumeSerialNumber, info.FileIndex, info.FileSize);
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

        // OVERLAPPED of <minwinbase.h> is .NET's NativeOverlapped.
        [DllImport("kernel32", SetLastError = true)]
        private static extern bool LockFileEx(SafeFileHandle handle, uint flags, uint reserved, uint lengthLow, uint lengthHigh, ref NativeOverlapped overlapped);

        [DllImport("kernel32", SetLastError = true)]
        private static extern bool UnlockFileEx(SafeFileHandle handle, uint reserved, uint lengthLow, uint lengthHigh, ref NativeOverlapped overlapped);

        [DllImport("kernel32", SetLastError = true)]
        private static extern bool GetFileInformationByHandle(SafeFileHandle handle, out ByHandleFileInformation info);
    }
}

using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

internal static partial class NativeFile
{
    /// <summary>
    /// struct statx as the Linux UAPI header &lt;linux/stat.h&gt; declares it (glibc's
    /// &lt;bits/types/struct_statx.h&gt; has the same layout): 256 bytes, the same on every
    /// architecture, unlike struct stat. The kernel fills at most these 256 bytes.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct Statx
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint Links;
        public uint UserId;
        public uint GroupId;
        public ushort Mode;
        private ushort _spare0;
        public ulong Inode;
        public ulong Size;
        public ulong Blocks;
        public ulong AttributesMask;
        public StatxTimestamp AccessTime;
        public StatxTimestamp BirthTime;
        public StatxTimestamp ChangeTime;
        public StatxTimestamp ModifyTime;
        public uint RDeviceMajor;
        public uint RDeviceMinor;
        public uint DeviceMajor;
        public uint DeviceMinor;
        public ulong MountId;
        public uint DirectIoMemoryAlignment;
        public uint DirectIoOffsetAlignment;
        private fixed ulong _spare3[12];

        /// <summary>The device as one number: major in the high half, minor in the low.</summary>
        public readonly ulong Device => ((ulong)DeviceMajor << 32) | DeviceMinor;
    }

    /// <summary>struct statx_timestamp of &lt;linux/stat.h&gt;.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct StatxTimestamp
    {
        public long Seconds;
        public uint Nanoseconds;
        private int _reserved;
    }

    /// <summary>
    /// A file's status and identity on Linux, by statx(2). .NET reads a stat of its own for
    /// FileSystemInfo but publishes only the permission bits (File.GetUnixFileMode): not the file's kind
    /// from a handle, nor its owner, group, link count, device or inode.
    /// </summary>
    private static class Linux
    {
        private const int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000;
        private const uint STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_NLINK = 0x4, STATX_UID = 0x8, STATX_GID = 0x10;
        private const uint STATX_INO = 0x100, STATX_SIZE = 0x200;
        private const uint IdentityFields = STATX_INO | STATX_SIZE;
        private const uint StatusFields = STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_UID | STATX_GID;

        public static FileStatus StatusOf(SafeFileHandle handle)
        {
            Stat(handle, StatusFields, out var status);
            return StatusFrom(status);
        }

        public static FileStatus? StatusOf(string path) =>
            Stat(path, StatusFields, out var status) ? StatusFrom(status) : null;

        public static FileIdentity IdentityOf(SafeFileHandle handle)
        {
            Stat(handle, IdentityFields, out var status);
            return IdentityFrom(status);
        }

        public static FileIdentity? IdentityOf(string path) =>
            Stat(path, IdentityFields, out var status) ? IdentityFrom(status) : null;

        private static FileStatus StatusFrom(in Statx status) =>
            Unix.StatusFrom(status.Mode, status.Links, status.UserId, status.GroupId);

        private static FileIdentity IdentityFrom(in Statx status) =>
            new(status.Device, status.Inode, (long)status.Size);

        /// <summary>False when there is no such file.</summary>
        private static bool Stat(string path, uint mask, out Statx status)
        {
            if (statx(AT_FDCWD, path, 0, mask, out status) == 0) return true;
            if (Marshal.GetLastPInvokeError() == Unix.ENOENT) return false;
            throw Unix.Error("stat", path);
        }

        private static void Stat(SafeFileHandle handle, uint mask, out Statx status)
        {
            int result;
            var added = false;
            handle.DangerousAddRef(ref added);
            try
            {
                // statx has no handle form: an empty path with AT_EMPTY_PATH names the descriptor itself.
                result = statx((int)handle.DangerousGetHandle(), "", AT_EMPTY_PATH, mask, out status);
            }
            finally
            {
                if (added) handle.DangerousRelease();
            }
            if (result != 0) throw Unix.Error("fstat", null);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, out Statx buffer);
    }
}

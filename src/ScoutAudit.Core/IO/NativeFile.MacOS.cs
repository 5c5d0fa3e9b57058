using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

internal static partial class NativeFile
{
    /// <summary>
    /// struct stat of macOS with 64-bit inodes, as the SDK's &lt;sys/stat.h&gt; declares it
    /// (__DARWIN_STRUCT_STAT64): 144 bytes on x64 and arm64 alike.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct DarwinStat
    {
        public int Device;
        public ushort Mode;
        public ushort Links;
        public ulong Inode;
        public uint UserId;
        public uint GroupId;
        public int RDevice;
        public DarwinTimespec AccessTime;
        public DarwinTimespec ModifyTime;
        public DarwinTimespec ChangeTime;
        public DarwinTimespec BirthTime;
        public long Size;
        public long Blocks;
        public int BlockSize;
        public uint Flags;
        public uint Generation;
        private int _lspare;
        private fixed long _qspare[2];
    }

    /// <summary>struct timespec of macOS's &lt;sys/_types/_timespec.h&gt;.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct DarwinTimespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>
    /// A file's status and identity on macOS, by stat(2) and fstat(2); P/Invoke for the same reason as
    /// on Linux (.NET publishes only the permission bits). The x64 libc keeps 32-bit inodes under the
    /// plain names and the 64-bit struct under the $INODE64 symbols; arm64 has only the 64-bit one.
    /// </summary>
    private static class MacOS
    {
        private static bool IsArm64 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

        public static FileStatus StatusOf(SafeFileHandle handle)
        {
            Stat(handle, out var status);
            return StatusFrom(status);
        }

        public static FileStatus? StatusOf(string path) => Stat(path, out var status) ? StatusFrom(status) : null;

        public static FileIdentity IdentityOf(SafeFileHandle handle)
        {
            Stat(handle, out var status);
            return IdentityFrom(status);
        }

        public static FileIdentity? IdentityOf(string path) => Stat(path, out var status) ? IdentityFrom(status) : null;

        private static FileStatus StatusFrom(in DarwinStat status) =>
            Unix.StatusFrom(status.Mode, status.Links, status.UserId, status.GroupId);

        // st_dev is a 32-bit dev_t, taken as its unsigned bits.
        private static FileIdentity IdentityFrom(in DarwinStat status) =>
            new((uint)status.Device, status.Inode, status.Size);

        /// <summary>False when there is no such file.</summary>
        private static bool Stat(string path, out DarwinStat status)
        {
            var result = IsArm64 ? stat_arm64(path, out status) : stat_x64(path, out status);
            if (result == 0) return true;
            if (Marshal.GetLastPInvokeError() == Unix.ENOENT) return false;
            throw Unix.Error("stat", path);
        }

        private static void Stat(SafeFileHandle handle, out DarwinStat status)
        {
            var result = IsArm64 ? fstat_arm64(handle, out status) : fstat_x64(handle, out status);
            if (result != 0) throw Unix.Error("fstat", null);
        }

        [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true)]
        private static extern int stat_x64([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out DarwinStat buffer);

        [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
        private static extern int stat_arm64([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out DarwinStat buffer);

        [DllImport("libc", EntryPoint = "fstat$INODE64", SetLastError = true)]
        private static extern int fstat_x64(SafeFileHandle fd, out DarwinStat buffer);

        [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
        private static extern int fstat_arm64(SafeFileHandle fd, out DarwinStat buffer);
    }
}

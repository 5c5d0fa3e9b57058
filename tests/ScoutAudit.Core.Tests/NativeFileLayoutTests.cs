using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// The native structs NativeFile declares lie as their headers say: the offsets are the ones the
/// headers' own comments and the C compiler give. Sequential layout follows the C alignment rules of
/// the running 64-bit process, so the macOS and Windows structs are checked here too, on Linux.
/// </summary>
public sealed class NativeFileLayoutTests
{
    [Fact]
    public void StatxIsTheKernelsTwoHundredFiftySixBytes()
    {
        Assert.Equal(256, Marshal.SizeOf<NativeFile.Statx>());
        Assert.Equal(16, Marshal.SizeOf<NativeFile.StatxTimestamp>());
        Assert.Equal(0x10, Offset<NativeFile.Statx>(nameof(NativeFile.Statx.Links)));
        Assert.Equal(0x14, Offset<NativeFile.Statx>(nameof(NativeFile.Statx.UserId)));
        Assert.Equal(0x18, Offset<NativeFile.Statx>(nameof(NativeFile.Statx.GroupId)));
        Assert.Equal(0x1C, Offset<NativeFile.Statx>(nameof(NativeFile.Statx.Mode)));
        Assert.Equal(0x20, Offset<NativeFile.Statx>(nameof(NativeFile.Statx.Inode)));
        Assert.Equal(0x28, Offset<NativeFile.Statx>(nameof(NativeFile.Statx.Size)));
        Assert.Equal(0x40, Offset<NativeFile.Statx>(nameof(NativeFile.Statx.AccessTime)));
        Assert.Equal(0x88, Offset<NativeFile.Statx>(nameof(NativeFile.Statx.DeviceMajor)));
        Assert.Equal(0x8C, Offset<NativeFile.Statx>(nameof(NativeFile.Statx.DeviceMinor)));
        Assert.Equal(0x90, Offset<NativeFile.Statx>(nameof(NativeFile.Statx.MountId)));
        Assert.Equal(0xA0, Offset<NativeFile.Statx>("_spare3"));
    }

    [Fact]
    public void DarwinStatIsTheSixtyFourBitInodeStruct()
    {
        Assert.Equal(144, Marshal.SizeOf<NativeFile.DarwinStat>());
        Assert.Equal(4, Offset<NativeFile.DarwinStat>(nameof(NativeFile.DarwinStat.Mode)));
        Assert.Equal(6, Offset<NativeFile.DarwinStat>(nameof(NativeFile.DarwinStat.Links)));
        Assert.Equal(8, Offset<NativeFile.DarwinStat>(nameof(NativeFile.DarwinStat.Inode)));
        Assert.Equal(16, Offset<NativeFile.DarwinStat>(nameof(NativeFile.DarwinStat.UserId)));
        Assert.Equal(20, Offset<NativeFile.DarwinStat>(nameof(NativeFile.DarwinStat.GroupId)));
        Assert.Equal(32, Offset<NativeFile.DarwinStat>(nameof(NativeFile.DarwinStat.AccessTime)));
        Assert.Equal(96, Offset<NativeFile.DarwinStat>(nameof(NativeFile.DarwinStat.Size)));
        Assert.Equal(112, Offset<NativeFile.DarwinStat>(nameof(NativeFile.DarwinStat.BlockSize)));
    }

    [Fact]
    public void ByHandleFileInformationIsFiftyTwoBytes()
    {
        Assert.Equal(52, Marshal.SizeOf<NativeFile.ByHandleFileInformation>());
        Assert.Equal(28, Offset<NativeFile.ByHandleFileInformation>(nameof(NativeFile.ByHandleFileInformation.VolumeSerialNumber)));
        Assert.Equal(32, Offset<NativeFile.ByHandleFileInformation>(nameof(NativeFile.ByHandleFileInformation.FileSizeHigh)));
        Assert.Equal(36, Offset<NativeFile.ByHandleFileInformation>(nameof(NativeFile.ByHandleFileInformation.FileSizeLow)));
        Assert.Equal(44, Offset<NativeFile.ByHandleFileInformation>(nameof(NativeFile.ByHandleFileInformation.FileIndexHigh)));
        Assert.Equal(48, Offset<NativeFile.ByHandleFileInformation>(nameof(NativeFile.ByHandleFileInformation.FileIndexLow)));
    }

    [LinuxFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void StatusAndIdentityAgreeWithCoreutilsStat()
    {
        using var folder = new TempFolder();
        var path = folder.Write("file", "twelve bytes");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var fields = Run("stat", "--format=%i %h %u %g %f %s", path).Split(' ');
        var status = NativeFile.StatusOf(path)!.Value;
        var identity = NativeFile.IdentityOf(path)!.Value;

        Assert.Equal(ulong.Parse(fields[0]), identity.Inode);
        Assert.Equal(uint.Parse(fields[1]), status.Links);
        Assert.Equal(uint.Parse(fields[2]), status.UserId);
        Assert.Equal(uint.Parse(fields[3]), status.GroupId);
        Assert.Equal(FileKind.Regular, status.Kind);
        Assert.Equal("0640", status.ModeText);
        Assert.Equal(Convert.ToInt32(fields[4], 16) & 0xFFF, (int)status.Mode);
        Assert.Equal(long.Parse(fields[5]), identity.Size);
        using var handle = File.OpenHandle(path);
        Assert.Equal(identity, NativeFile.IdentityOf(handle));
        Assert.Equal(status, NativeFile.StatusOf(handle));
    }

    [LinuxFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void DeviceIsMajorAboveMinor()
    {
        using var folder = new TempFolder();
        var path = folder.Write("file", "");
        var fields = Run("stat", "--format=%Hd %Ld", path).Split(' ');

        var expected = (ulong.Parse(fields[0]) << 32) | ulong.Parse(fields[1]);
        Assert.Equal(expected, NativeFile.IdentityOf(path)!.Value.Device);
    }

    private static int Offset<T>(string field) => (int)Marshal.OffsetOf<T>(field);

    private static string Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}

using System.Runtime.CompilerServices;

namespace ScoutAudit.PowerShell.Tests.Support;

/// <summary>A fresh directory named after the calling test, removed on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder([CallerMemberName] string test = "", [CallerFilePath] string file = "")
    {
        FullPath = Path.Combine(Path.GetTempPath(), "scoutaudit-pstests", Path.GetFileNameWithoutExtension(file), $"{test}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(FullPath);
    }

    public string FullPath { get; }

    /// <summary>A path inside the folder.</summary>
    public string File(params string[] parts) => Path.Combine([FullPath, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(FullPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

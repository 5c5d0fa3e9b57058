using System.Runtime.CompilerServices;

namespace ScoutAudit.Core.Tests.Support;

/// <summary>A fresh directory named after the calling test, removed on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder([CallerMemberName] string test = "", [CallerFilePath] string file = "")
    {
        FullPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "scoutaudit-tests",
            System.IO.Path.GetFileNameWithoutExtension(file), $"{test}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(FullPath);
    }

    public string FullPath { get; }

    /// <summary>A path inside the folder.</summary>
    public string File(params string[] parts) => System.IO.Path.Combine([FullPath, .. parts]);

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

using System.Runtime.CompilerServices;

namespace ScoutAudit.Testing;

/// <summary>A fresh directory named after the calling test, removed on dispose. Shared by every test project.</summary>
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

    /// <summary>Writes <paramref name="text"/> to a file in the folder and returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

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

namespace ScoutAudit.Core;

/// <summary>Creates directories readable by their owner only (0700 on Unix) when they are missing.</summary>
internal static class OwnerOnly
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> and every missing directory above it, each 0700.</summary>
    public static void CreateDirectory(string path)
    {
        if (Directory.Exists(path)) return;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        // Directory.CreateDirectory(path, mode) gives only the last directory the mode; the ones above
        // it get 0777 less the umask, so each missing level is created on its own.
        var missing = new Stack<string>();
        for (var level = Path.GetFullPath(path); !Directory.Exists(level); level = Path.GetDirectoryName(level)!)
        {
            missing.Push(level);
            if (Path.GetDirectoryName(level) is null) break;
        }
        while (missing.TryPop(out var level)) Directory.CreateDirectory(level, DirectoryMode);
    }
}

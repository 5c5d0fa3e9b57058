using System.Security.Cryptography;
using System.Text;

namespace ScoutAudit.Core;

/// <summary>
/// The caller's own cache directory, where a command that only reads a log keeps what it must
/// remember of it (a verification's state, a forwarder's checkpoint) when the log's directory is
/// another user's: <c>$XDG_CACHE_HOME/scoutaudit</c>, else <c>~/.cache/scoutaudit</c> on Unix,
/// <c>%LOCALAPPDATA%\ScoutAudit</c> on Windows. It is created owner-only (0700), and used only
/// while it is the caller's alone: owned by the caller, in a directory the caller owns, and
/// writable by neither group nor others. Otherwise nothing is kept (in memory only), since a
/// state another user can write is one they can forge.
/// <para>
/// A log's files there are named <c>&lt;log's file name&gt;.&lt;32 hex digits&gt;&lt;suffix&gt;</c>,
/// the digits the start of the SHA-256 of the log's full path: readable, and one per log.
/// </para>
/// </summary>
internal static class CallersCache
{

    /// <summary>
    /// Where the state of the log at <paramref name="logPath"/> lives by default: <paramref name="besideLog"/>
    /// when the log's directory is the caller's (or not there yet: whoever makes it owns it), else the
    /// caller's cache, or nowhere when the cache may not be used. <paramref name="what"/> names the
    /// state in the note (such as "the verification state"); <paramref name="suffix"/> ends its name in the cache.
    /// </summary>
    public static StateLocation Locate(string logPath, string besideLog, string suffix, string what)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(logPath))!;
        if (!IsAnotherUsersDirectory(directory)) return new StateLocation(besideLog, StatePlace.BesideLog, null);
        if (CacheDirectory(out var refusal) is not { } cache)
            return new StateLocation(null, StatePlace.NotKept,
                $"The directory of '{logPath}' belongs to another user, where a command that reads writes nothing, and {refusal}: {what} is not kept, " +
                "so the next run cannot take it up.");
        var path = Path.Combine(cache, FileName(logPath, suffix));
        return new StateLocation(path, StatePlace.CallersCache,
            $"The directory of '{logPath}' belongs to another user, where a command that reads writes nothing: {what} is kept in your cache, at '{path}'.");
    }

    /// <summary><c>&lt;log's file name&gt;.&lt;32 hex&gt;&lt;suffix&gt;</c>: the digits begin the SHA-256 of the log's full path.</summary>
    public static string FileName(string logPath, string suffix)
    {
        var full = Path.GetFullPath(logPath);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(full)), 0, 16).ToLowerInvariant();
        return $"{Path.GetFileName(full)}.{hash}{suffix}";
    }

    /// <summary>The cache directory, created when missing; null (and why, as a clause) when it is not the caller's alone.</summary>
    public static string? CacheDirectory(out string? refusal)
    {
        refusal = null;
        var parent = BaseDirectory();
        if (parent is null)
        {
            refusal = "there is no home directory for a cache of your own";
            return null;
        }
        var cache = Path.Combine(parent, OperatingSystem.IsWindows() ? "ScoutAudit" : "scoutaudit");
        if (OperatingSystem.IsWindows())
        {
            // Under the user's profile, whose ACLs keep other users out (only Linux is run here).
            OwnerOnly.CreateDirectory(cache);
            return cache;
        }
        try
        {
            // The level above must be the caller's first: root with another user's HOME (sudo keeps it
            // on some systems) would otherwise create its cache in that user's directory.
            if (NearestExisting(parent) is { } existing && !IsCallers(existing, alone: false))
            {
                refusal = $"your cache '{cache}' would be made in '{existing}', which is not yours";
                return null;
            }
            OwnerOnly.CreateDirectory(cache);
            if (!IsCallers(parent, alone: false) || !IsCallers(cache, alone: true))
            {
                refusal = $"your cache '{cache}' is not yours alone (it belongs to another user, or others may write in it)";
                return null;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            refusal = $"your cache '{cache}' cannot be used ({error.Message})";
            return null;
        }
        return cache;
    }

    /// <summary>$XDG_CACHE_HOME when it is an absolute path (as the XDG specification says), else ~/.cache; LocalApplicationData on Windows.</summary>
    private static string? BaseDirectory()
    {
        if (OperatingSystem.IsWindows())
            return Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData) is { Length: > 0 } local ? local : null;
        if (Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)) return Path.GetFullPath(xdg);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home is { Length: > 0 } && Path.IsPathRooted(home) ? Path.Combine(home, ".cache") : null;
    }

    /// <summary>Whether <paramref name="directory"/> exists and is owned by another user; false on Windows (ACLs are not examined there).</summary>
    private static bool IsAnotherUsersDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            return NativeFile.StatusOf(directory) is { } ownership && ownership.UserId != NativeFile.EffectiveUserId;
        }
        catch (IOException)
        {
            return true; // it cannot be examined: not known to be the caller's
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool IsCallers(string directory, bool alone) =>
        NativeFile.StatusOf(directory) is { } ownership && ownership.UserId == NativeFile.EffectiveUserId
        && (!alone || (ownership.Mode & FileSafety.WritableByOthers) == 0);

    private static string? NearestExisting(string path)
    {
        for (var level = Path.GetFullPath(path); level is not null; level = Path.GetDirectoryName(level))
        {
            if (System.IO.Directory.Exists(level)) return level;
        }
        return null;
    }
}

using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// What a file must be before the module writes to it, and what a log's directory must be before
/// the module writes there: the local-user half of the threat model (about_ScoutAuditSecurity).
/// <para>
/// A file the module writes (the active file, a lock file, the archive index) is opened without
/// following a link (<see cref="NativeFile.OpenForAppend"/>), then must be a regular file with one
/// name, owned by the user the module runs as. Group's and others' write permission on it is taken
/// away (the owner loses nothing, and no one else may then edit the log behind its chain); their
/// read permission is the owner's choice (a log shipper's group may read it), which the writer
/// reports. OpenSSH's StrictModes and logrotate's refusal of unsafe directories are the models.
/// </para>
/// <para>
/// On Windows nothing is checked here: its ACLs are not examined (only Linux is run here).
/// </para>
/// </summary>
internal static class FileSafety
{
    public const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
    public const UnixFileMode ReadableByOthers = UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Checks a file just opened for writing: a regular file, one name, the caller's; takes group's and
    /// others' write permission away. Returns its status as it is now.
    /// </summary>
    /// <exception cref="UnsafeFileException">It is not a file the module may write.</exception>
    public static FileStatus? RequireWritable(SafeFileHandle handle, string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        var status = NativeFile.StatusOf(handle);
        if (status.Kind != FileKind.Regular)
            throw new UnsafeFileException(path, $"'{path}' is {status.KindText}, not a regular file: ScoutAudit writes no log file there.");
        if (status.Links != 1)
            throw new UnsafeFileException(path, $"'{path}' has {status.Links} names (hard links): another of them may be someone else's file, so ScoutAudit does not write to it.");
        var caller = NativeFile.EffectiveUserId;
        if (status.UserId != caller)
            throw new UnsafeFileException(path, $"'{path}' belongs to user {UserNames.Describe(status.UserId)}, not to {UserNames.Describe(caller)} who writes: " +
                "ScoutAudit writes only to files of its own user (a file another user made in its place could be read or changed by them).");
        if ((status.Mode & WritableByOthers) != 0)
        {
            try
            {
                NativeFile.ChangeMode(handle, status.Mode & ~WritableByOthers);
                status = NativeFile.StatusOf(handle);
            }
            catch (IOException)
            {
                // A file system without Unix modes (vfat, some network mounts) shows every file so and
                // keeps it so: its directory is refused as shared unless allowed, which says it all.
            }
        }
        return status;
    }

    /// <summary>Checks that an open file is a regular file (not a FIFO, device or socket, which may block or never end).</summary>
    /// <exception cref="UnsafeFileException">It is not.</exception>
    public static void RequireRegular(SafeFileHandle handle, string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var status = NativeFile.StatusOf(handle);
        if (status.Kind != FileKind.Regular)
            throw new UnsafeFileException(path, $"'{path}' is {status.KindText}, not a regular file: ScoutAudit does not read it as part of a log.");
    }

    /// <summary>
    /// Whether the open file belongs to the caller or to the owner of <paramref name="directory"/>
    /// (root reading another user's log takes that user's lock files); true on Windows.
    /// </summary>
    public static bool IsOwnedByCallerOrDirectoryOwner(SafeFileHandle handle, string directory)
    {
        if (OperatingSystem.IsWindows()) return true;
        var owner = NativeFile.StatusOf(handle).UserId;
        return owner == NativeFile.EffectiveUserId || NativeFile.StatusOf(directory) is { } found && found.UserId == owner;
    }

    /// <summary>
    /// A file of a log (the active file, a sealed segment, an archive) opened for reading, links
    /// followed, or null when there is none. A FIFO, device or socket is refused without waiting on it:
    /// a FIFO named like an archive would otherwise hang every query, and /dev/zero never ends.
    /// </summary>
    /// <exception cref="UnsafeFileException">It is not a regular file.</exception>
    /// <exception cref="IOException">It cannot be opened.</exception>
    public static FileStream? OpenRegularForReading(string path, int bufferSize = 0)
    {
        var handle = NativeFile.OpenForReading(path);
        if (handle is null) return null;
        try
        {
            RequireRegular(handle, path);
            return new FileStream(handle, FileAccess.Read, bufferSize);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>As <see cref="OpenRegularForReading"/>, for a file that must be there.</summary>
    /// <exception cref="FileNotFoundException">Nothing is there.</exception>
    /// <exception cref="UnsafeFileException">It is not a regular file.</exception>
    public static FileStream OpenExistingRegularForReading(string path, int bufferSize = 0) =>
        OpenRegularForReading(path, bufferSize) ?? throw new FileNotFoundException($"Could not find file '{path}'.", path);

    /// <summary>
    /// Why <paramref name="directory"/> is not its owner's alone to change (who else may add, rename or
    /// remove its entries), or null when it is. With <paramref name="forWriting"/>, a directory owned by
    /// another user than the caller (other than root) is not the caller's either. A directory writable
    /// by group or others with the sticky bit set (/tmp) lets no one else rename or remove the caller's
    /// files; what they may put there is refused by the checks on each file.
    /// </summary>
    public static string? WhyShared(string directory, bool forWriting)
    {
        if (OperatingSystem.IsWindows()) return null;
        FileStatus? found;
        try
        {
            found = NativeFile.StatusOf(directory);
        }
        catch (IOException)
        {
            return null; // not examinable: what is done in it fails with its own error
        }
        if (found is not { } status) return null;
        var caller = NativeFile.EffectiveUserId;
        if (forWriting && status.UserId != caller && status.UserId != 0)
            return $"it belongs to user {UserNames.Describe(status.UserId)}, who may replace any file in it";
        if ((status.Mode & UnixFileMode.StickyBit) != 0) return null;
        if ((status.Mode & UnixFileMode.OtherWrite) != 0)
            return $"every user may write in it (mode {status.ModeText}, without the sticky bit)";
        if ((status.Mode & UnixFileMode.GroupWrite) != 0 && !UserNames.IsPrivateGroup(status.GroupId, status.UserId))
            return $"the users of group {UserNames.DescribeGroup(status.GroupId)} may write in it (mode {status.ModeText})";
        return null;
    }
}

/// <summary>A file or directory of a log that the module refuses to write or to read as part of the log, and why.</summary>
public sealed class UnsafeFileException(string path, string message, Exception? inner = null) : IOException(message, inner)
{
    public string Path { get; } = path;
}

using System.Globalization;

namespace ScoutAudit.Core;

/// <summary>A process that holds a log's active file open for writing and is not a ScoutAudit writer.</summary>
/// <param name="ProcessId">Its process id.</param>
/// <param name="CommandLine">Its command line, as /proc shows it (arguments joined by spaces).</param>
public sealed record ForeignWriter(int ProcessId, string CommandLine)
{
    public override string ToString() => $"process {ProcessId} ({CommandLine})";
}

/// <summary>
/// The processes that hold the active file open for writing without being ScoutAudit writers: the
/// original tool keeps its log open for the life of its <c>AuditLog</c> object and appends through
/// that handle, so a seal by rename would send its next lines to the sealed segment, and its
/// rotation would later unlink them. Sealing waits while one is found (<see cref="LogRotation.Seal"/>).
/// <para>
/// Linux: every <c>/proc/&lt;pid&gt;/fd</c> entry that resolves to the active file, opened for
/// writing by its <c>fdinfo</c> flags, as <c>fuser</c> finds them; a ScoutAudit writer is told apart
/// by holding the log's append lock file open for its whole life. Only processes whose <c>/proc</c>
/// entries the caller may read are seen: its own user's, or everyone's for root. macOS offers no
/// /proc (lsof uses private kernel calls): nothing is found there. On Windows the original's handle,
/// opened without FILE_SHARE_DELETE, makes the rename itself fail, so nothing is lost.
/// </para>
/// </summary>
internal static class ForeignWriters
{
    private const int AccessModeMask = 3; // O_ACCMODE: 0 read, 1 write, 2 read and write

    public static IReadOnlyList<ForeignWriter> Of(LogFiles files)
    {
        if (!OperatingSystem.IsLinux() || NativeFile.IdentityOf(files.Active) is not { } active) return [];
        var appendLock = NativeFile.IdentityOf(files.AppendLock);
        var found = new List<ForeignWriter>();
        IEnumerable<string> processes;
        try
        {
            processes = Directory.EnumerateDirectories("/proc").ToList();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        foreach (var process in processes)
        {
            if (!int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            var writes = false;
            var holdsLock = false;
            try
            {
                foreach (var fd in Directory.EnumerateFiles(Path.Combine(process, "fd")))
                {
                    if (Identity(fd) is not { } target) continue;
                    if (appendLock is { } lockFile && target.SameFileAs(lockFile)) holdsLock = true;
                    else if (target.SameFileAs(active) && OpenForWriting(process, Path.GetFileName(fd))) writes = true;
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                continue; // another user's process, or one that just ended
            }
            if (writes && !holdsLock) found.Add(new ForeignWriter(pid, CommandLine(process)));
        }
        return found;
    }

    private static FileIdentity? Identity(string fdLink)
    {
        try
        {
            return NativeFile.IdentityOf(fdLink);
        }
        catch (IOException)
        {
            return null; // a socket, a pipe, a file of another namespace, or closed meanwhile
        }
    }

    private static bool OpenForWriting(string process, string fd)
    {
        foreach (var line in File.ReadLines(Path.Combine(process, "fdinfo", fd)))
        {
            if (!line.StartsWith("flags:", StringComparison.Ordinal)) continue;
            var flags = Convert.ToInt32(line["flags:".Length..].Trim(), 8);
            return (flags & AccessModeMask) != 0;
        }
        return false;
    }

    private static string CommandLine(string process)
    {
        try
        {
            return File.ReadAllText(Path.Combine(process, "cmdline")).TrimEnd('\0').Replace('\0', ' ');
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }
}

/// <summary>The active file was not sealed: a process that is not a ScoutAudit writer holds it open for writing.</summary>
public sealed class SealDeferredException(string path, IReadOnlyList<ForeignWriter> writers) : IOException(
    $"'{path}' is not sealed while another tool appends to it through a handle it keeps open ({string.Join("; ", writers)}): " +
    "its next lines would go to the sealed segment and be lost when it is archived. The log goes on growing; it is rotated once that tool " +
    "closes it, or by that tool's own rotation.")
{
    public string Path { get; } = path;

    public IReadOnlyList<ForeignWriter> Writers { get; } = writers;
}

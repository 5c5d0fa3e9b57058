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
/// The processes that hold the log's active file open without being ScoutAudit writers: the
/// original tool keeps its log open for the life of its <c>AuditLog</c> object and appends through
/// that handle, so a seal by rename would send its next lines to the sealed segment, and its own
/// rotation (read, gzip, delete, reopen) would race the seal. Sealing waits while one is found, and
/// while a process found so is alive (<see cref="LogRotation.Seal"/>).
/// <para>
/// Linux: every <c>/proc/&lt;pid&gt;/fd</c> entry that resolves to the active file, or to one of the
/// log's rotated files opened for writing by its <c>fdinfo</c> flags, as <c>fuser</c> finds them; a ScoutAudit writer is told apart
/// by holding the log's append lock file open for its whole life. Only processes whose <c>/proc</c>
/// entries the caller may read are seen: its own user's, or everyone's for root. macOS offers no
/// /proc (lsof uses private kernel calls): nothing is found there. On Windows the original's handle,
/// opened without FILE_SHARE_DELETE, makes the rename itself fail, so nothing is lost.
/// </para>
/// </summary>
internal static class ForeignWriters
{
    private const int AccessModeMask = 3; // O_ACCMODE: 0 read, 1 write, 2 read and write
    private const int MaxCommandLine = 300;

    /// <summary>
    /// The processes found holding a log, by active file path, remembered while they live: the
    /// original closes its handle for the moment of its own rotation (it reads the file, gzips it,
    /// deletes it and opens a new one), and a seal in that moment would race it.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ForeignWriter[]> Seen = new(StringComparer.Ordinal);

    public static IReadOnlyList<ForeignWriter> Of(LogFiles files)
    {
        if (!OperatingSystem.IsLinux()) return [];
        var found = Scan(files);
        var remembered = Seen.TryGetValue(files.Active, out var earlier)
            ? earlier.Where(w => found.All(f => f.ProcessId != w.ProcessId) && IsAlive(w)).ToList()
            : [];
        var holders = found.Concat(remembered).ToArray();
        if (holders.Length == 0) Seen.TryRemove(files.Active, out _);
        else Seen[files.Active] = holders;
        return holders;
    }

    private static bool IsAlive(ForeignWriter writer) =>
        File.Exists($"/proc/{writer.ProcessId}/cmdline") && CommandLine($"/proc/{writer.ProcessId}") == writer.CommandLine;

    /// <summary>
    /// The processes holding the active file open (to append, or to read it for a rotation of their
    /// own) or one of the log's rotated files open for writing (the original gzipping its archive),
    /// that do not hold the append lock file a ScoutAudit writer keeps open.
    /// </summary>
    private static List<ForeignWriter> Scan(LogFiles files)
    {
        var active = NativeFile.IdentityOf(files.Active);
        var appendLock = NativeFile.IdentityOf(files.AppendLock);
        var found = new List<ForeignWriter>();
        IEnumerable<string> processes;
        try
        {
            processes = Directory.EnumerateDirectories("/proc").ToList();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return found;
        }
        var rotatedPrefix = Path.Combine(files.Directory, files.Stem + "_");
        foreach (var process in processes)
        {
            if (!int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            var holds = false;
            var holdsLock = false;
            try
            {
                foreach (var fd in Directory.EnumerateFiles(Path.Combine(process, "fd")))
                {
                    if (Identity(fd) is not { } target) continue;
                    if (appendLock is { } lockFile && target.SameFileAs(lockFile)) holdsLock = true;
                    else if (active is { } activeFile && target.SameFileAs(activeFile)) holds = true;
                    else if (LinkTarget(fd)?.StartsWith(rotatedPrefix, StringComparison.Ordinal) == true && OpenForWriting(process, Path.GetFileName(fd))) holds = true;
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                continue; // another user's process, or one that just ended
            }
            if (holds && !holdsLock) found.Add(new ForeignWriter(pid, CommandLine(process)));
        }
        return found;
    }

    private static string? LinkTarget(string fdLink)
    {
        try
        {
            return new FileInfo(fdLink).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
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

    /// <summary>The command line of process <paramref name="pid"/>, cut to a readable length; "?" when it cannot be read.</summary>
    public static string CommandLineOf(int pid) => CommandLine($"/proc/{pid}");

    private static string CommandLine(string process)
    {
        try
        {
            // Another user's process names itself: a huge command line is cut (the cmdlets show it
            // with control characters made visible, as every message).
            var text = File.ReadAllText(Path.Combine(process, "cmdline")).TrimEnd('\0').Replace('\0', ' ');
            return text.Length > MaxCommandLine ? text[..MaxCommandLine] + "…" : text;
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

using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Report;

/// <summary>What is at the path a report is to be written to.</summary>
internal enum ReportTargetKind
{
    /// <summary>Nothing: the report makes the file.</summary>
    Absent,

    /// <summary>A page Export-ScoutAuditReport wrote: replaced without -Force.</summary>
    Report,

    /// <summary>Any other file: replaced only with -Force.</summary>
    OtherFile,

    /// <summary>A log's file, by its name or its content: never replaced.</summary>
    AuditLogFile,

    /// <summary>A directory: no report can go there.</summary>
    Directory,
}

/// <summary>
/// What is at the path a report is to be written to, and so whether it may be replaced there: a log's
/// file never (by its name, <see cref="LogFileNames"/>, through a link, or by a first line that is an
/// audit event), another file than a report only with -Force. Nothing is opened in a way that waits:
/// a FIFO put there is another file, not read.
/// </summary>
/// <param name="What">What the file is, in words, where that is more than its kind says.</param>
internal sealed record ReportTarget(string Path, ReportTargetKind Kind, string What, bool ReadOnly)
{
    /// <summary>How much of an existing file is read to tell a report or a log from another file.</summary>
    private const int HeadBytes = 64 * 1024;

    /// <param name="path">The full path of -OutFile.</param>
    /// <param name="logs">The full paths of the logs known: those reported, the default log, the session's open logs.</param>
    public static ReportTarget Inspect(string path, IReadOnlyCollection<string> logs)
    {
        if (LogFileNames.KindOf(path, logs) is not LogFileKind.None and var named) return new(path, ReportTargetKind.AuditLogFile, Describe(named), false);
        if (LinkTarget(path) is { } target && LogFileNames.KindOf(target, logs) is not LogFileKind.None and var linked)
            return new(path, ReportTargetKind.AuditLogFile, $"a link to {Describe(linked)} ('{target}')", false);
        if (System.IO.Directory.Exists(path)) return new(path, ReportTargetKind.Directory, "a directory", false);
        if (!File.Exists(path) && LinkTarget(path) is null) return new(path, ReportTargetKind.Absent, "", false);

        byte[]? head;
        try
        {
            head = FileHead.Read(path, HeadBytes);
        }
        catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException)
        {
            head = null;
        }
        if (head is null) return new(path, ReportTargetKind.OtherFile, "not a regular file, or not one it may read", false);
        if (StartsWithAuditEvent(head)) return new(path, ReportTargetKind.AuditLogFile, "an audit log (its first line is an audit event)", false);
        var readOnly = (File.GetAttributes(path) & FileAttributes.ReadOnly) != 0;
        return HtmlReport.IsReport(head)
            ? new(path, ReportTargetKind.Report, "a report", readOnly)
            : new(path, ReportTargetKind.OtherFile, "", readOnly);
    }

    private static string Describe(LogFileKind kind) => kind switch
    {
        LogFileKind.Log => "an audit log",
        LogFileKind.Archive => "an archive of an audit log",
        LogFileKind.Index => "the archive index of an audit log",
        _ => "a file the module keeps beside an audit log",
    };

    /// <summary>Where a link at <paramref name="path"/> leads in the end; null when it is no link.</summary>
    private static string? LinkTarget(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName;
        }
        catch (Exception gone) when (gone is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException)
        {
            return path; // a loop of links: something is there, and it is no report
        }
    }

    /// <summary>
    /// Whether the file's first line is an audit event. A first line longer than the head read is taken
    /// as one when it opens a JSON object: a file of such lines is refused rather than replaced.
    /// </summary>
    private static bool StartsWithAuditEvent(byte[] head)
    {
        var end = Array.IndexOf(head, (byte)'\n');
        if (end < 0)
        {
            var start = head.AsSpan();
            if (start.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) start = start[3..];
            return head.Length == HeadBytes && start.TrimStart(" \t"u8).StartsWith("{"u8);
        }
        var line = head.AsSpan(0, end);
        if (line.EndsWith("\r"u8)) line = line[..^1];
        return AuditLineParser.TryParse(line, out _, out _);
    }
}

using System.Diagnostics;
using System.Management.Automation;
using System.Text;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Binding;
using ScoutAudit.PowerShell.Report;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Writes a spend and accuracy report of one or more logs as one self-contained HTML page: spend
/// per day stacked by model with the budget, tokens, accuracy, when events happen, the costliest
/// models and sessions and the most frequent failure reasons, each chart with a table of its numbers.
/// -Path names the logs, as in every cmdlet of the module; -OutFile the page, which replaces only a
/// report of its own unless -Force is given, and never a log's file.
/// </summary>
[Cmdlet(VerbsData.Export, "ScoutAuditReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "Path")]
[OutputType(typeof(FileInfo))]
public sealed class ExportScoutAuditReportCommand : AuditCommandBase
{
    /// <summary>The HTML file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotBlank]
    public string OutFile { get; set; } = "";

    /// <summary>The logs to report on, together, wildcards expanded; by default the default log.</summary>
    [Parameter(ParameterSetName = "Path", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotBlank]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    /// <summary>The logs to report on, each exactly as given (for names with [ or ]); bound from a file's PSPath.</summary>
    [Parameter(ParameterSetName = "LiteralPath", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotBlank]
    public string[]? LiteralPath { get; set; }

    [Parameter, Instant]
    public DateTimeOffset? Since { get; set; }

    [Parameter, Instant]
    public DateTimeOffset? Until { get; set; }

    /// <summary>The daily budget in dollars, drawn as a line on the spend chart.</summary>
    [Parameter]
    [ValidateRange(0.0, 1e12)]
    public decimal? Budget { get; set; }

    [Parameter]
    [ValidateNotBlank]
    public string Title { get; set; } = "Scout audit report";

    /// <summary>Replaces an existing file that is not a report of this cmdlet, or is read-only; never a log's file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Refuses to replace any existing file, an earlier report included.</summary>
    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Opens the report in the default browser.</summary>
    [Parameter]
    public SwitchParameter Show { get; set; }

    /// <summary>How many days the report covers when -Since is not given.</summary>
    public const int DefaultDays = 30;

    /// <summary>The report's permissions on Unix: 0600, read and written by its owner only.</summary>
    private const UnixFileMode ReportMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private (DateOnly First, DateOnly Last) _days;
    private string _output = "";
    private readonly List<(string? Given, string Path)> _logs = [];

    /// <summary>The window and the file are checked before any log is read: a refusal costs nothing.</summary>
    protected override void BeginProcessing()
    {
        _days = Days();
        _output = ResolveOutFile();
        if (!MyInvocation.ExpectingInput) _logs.AddRange(LogTargets(Path, LiteralPath).Select(log => ((string?)log.Given, log.Log)));
        Refuse(ReportTarget.Inspect(_output, KnownLogs()));
    }

    /// <summary>The logs come from -Path, or one by one from the pipeline (Get-ChildItem, Get-ScoutAuditLog); one page adds them all up.</summary>
    protected override void ProcessRecord()
    {
        if (MyInvocation.ExpectingInput)
            _logs.AddRange(LogTargets(Path, LiteralPath).Select(log => ((string?)log.Given, log.Log)));
        else if (!MyInvocation.ExpectingInput && Path is null && LiteralPath is null)
            _logs.Add((null, ResolveLogPath(null)));
    }

    protected override void EndProcessing()
    {
        if (_logs.Count == 0 && MyInvocation.ExpectingInput)
        {
            WriteWarning($"No log came through the pipeline, so no report was written to '{_output}'.");
            return;
        }
        var (firstDay, lastDay) = _days;
        // A log given that is not there is an error and adds nothing; with none left there is no page to write.
        var logs = _logs.DistinctBy(log => log.Path).Where(log => log.Given is null || Exists(new ReadTarget(log.Path, log.Path) { Given = log.Given })).ToList();
        if (logs.Count == 0) return;
        if (!ShouldProcess(_output, $"Write the report of {string.Join(", ", logs.Select(l => l.Path))} for {firstDay:yyyy-MM-dd} to {lastDay:yyyy-MM-dd} (UTC)")) return;

        var builder = new SpendReportBuilder(firstDay, lastDay);
        foreach (var (given, path) in logs)
        {
            Read(path, given, log =>
            {
                foreach (var e in log.Query(builder.Window, PipelineStopping)) builder.Add(e);
                return true;
            });
        }
        var report = builder.Build();
        var file = Save(report, new ReportHeading(Title, Budget, [.. logs.Select(l => l.Path)], DateTimeOffset.UtcNow));
        if (Show) Open(file);
        // Through the provider, as Get-Item gives it: a bare FileInfo lacks the provider's properties
        // (UnixMode, User, Size...) and prints as a row of empty columns.
        if (PassThru) WriteObject(InvokeProvider.Item.Get([file.FullName], force: true, literalPath: true), enumerateCollection: true);
    }

    /// <summary>The whole UTC days that cover -Since to -Until: by default the last 30, today included.</summary>
    private (DateOnly First, DateOnly Last) Days()
    {
        var window = TimeWindow(Since, Until);
        var until = window.Until ?? DateTimeOffset.UtcNow;
        var last = DateOnly.FromDateTime(until.UtcDateTime.AddTicks(window.Until is null ? 0 : -1));
        var first = window.Since is { } since ? DateOnly.FromDateTime(since.UtcDateTime) : last.AddDays(1 - DefaultDays);
        if (last < first) last = first; // -Since and -Until within one day
        if (last.DayNumber - first.DayNumber >= 3660)
            throw Terminate(new ArgumentException($"The report covers {last.DayNumber - first.DayNumber + 1} days; at most 3660 (ten years) fit a page of daily charts. Give a later -Since."),
                ErrorIds.InvalidTimeWindow, ErrorCategory.InvalidArgument, Since);
        return (first, last);
    }

    /// <summary>-OutFile as a full file-system path, resolved as PowerShell resolves paths (relative to the location, <c>~</c> expanded).</summary>
    private string ResolveOutFile()
    {
        try
        {
            var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile, out var provider, out _);
            if (provider.Name == "FileSystem") return System.IO.Path.GetFullPath(resolved);
            throw Terminate(new ArgumentException($"-OutFile '{OutFile}' is in the {provider.Name} provider; a report is a file, so give a file-system path.", nameof(OutFile)),
                ErrorIds.ReportWriteFailed, ErrorCategory.InvalidArgument, OutFile);
        }
        catch (Exception error) when (error is SessionStateException or ProviderInvocationException or ArgumentException or NotSupportedException or IOException)
        {
            throw Terminate(new ArgumentException($"-OutFile '{OutFile}' cannot be resolved: {error.Message}", nameof(OutFile), error),
                ErrorIds.ReportWriteFailed, ErrorCategory.InvalidArgument, OutFile);
        }
    }

    /// <summary>Every log the module could mean: those reported, the default log, and those this session has open.</summary>
    private List<string> KnownLogs() =>
        [.. _logs.Select(log => log.Path), .. DefaultLogPathIfAny() is { } defaultLog ? [defaultLog] : Array.Empty<string>(), .. LogRegistry.Instance.All().Select(entry => entry.Path)];

    /// <summary>
    /// Stops, before anything is read or written, where the report must not go: a log's file always,
    /// any existing file with -NoClobber (as Export-Csv has it, -Force does not override it), a file
    /// that is not a report, or a read-only one, without -Force.
    /// </summary>
    private void Refuse(ReportTarget target)
    {
        var path = target.Path;
        switch (target.Kind)
        {
            case ReportTargetKind.AuditLogFile:
                throw Terminate(new InvalidOperationException(
                        $"'{path}' is {target.What}: Export-ScoutAuditReport never writes over a log's files, not even with -Force. " +
                        $"Give -OutFile a file of its own, such as '{SuggestedReport(path)}'."),
                    ErrorIds.ReportOutFileIsAuditLog, ErrorCategory.InvalidArgument, path);
            case ReportTargetKind.Directory:
                throw Terminate(new IOException($"-OutFile '{path}' is a directory; give the path of a file, such as '{System.IO.Path.Combine(path, "scout-report.html")}'."),
                    ErrorIds.ReportWriteFailed, ErrorCategory.WriteError, path);
            case ReportTargetKind.Report or ReportTargetKind.OtherFile when NoClobber:
                throw Terminate(new IOException($"The file '{path}' already exists and -NoClobber was given. Give -OutFile another file, or leave out -NoClobber to replace it."),
                    ErrorIds.ReportOutFileExists, ErrorCategory.ResourceExists, path);
            case ReportTargetKind.OtherFile when !Force:
                throw Terminate(new IOException($"'{path}' exists and is not a report of Export-ScoutAuditReport{(target.What.Length > 0 ? $" ({target.What})" : "")}, so it was left as it is. " +
                    "Give -OutFile another file, or add -Force to replace it."),
                    ErrorIds.ReportOutFileNotReport, ErrorCategory.ResourceExists, path);
            case ReportTargetKind.Report when target.ReadOnly && !Force:
                throw Terminate(new UnauthorizedAccessException($"The report '{path}' is read-only. Add -Force to replace it (the new report is read-only too), or give -OutFile another file."),
                    ErrorIds.ReportOutFileReadOnly, ErrorCategory.PermissionDenied, path);
        }
    }

    /// <summary>A report's name beside a log's file: its name up to the first dot, then <c>-report.html</c>.</summary>
    private static string SuggestedReport(string logFile)
    {
        var name = System.IO.Path.GetFileName(logFile);
        var stem = name.IndexOf('.', 1) is var dot and > 0 ? name[..dot] : name;
        return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(logFile) ?? "", stem + "-report.html");
    }

    /// <summary>
    /// Writes the page to a new temporary file beside its final name (created exclusively under a random
    /// name, so no file or link put there is written through, and 0600 on Unix whatever the umask), then,
    /// after looking again at what is at -OutFile now, moves it there: a failed write leaves no half report behind.
    /// </summary>
    private FileInfo Save(SpendReport report, ReportHeading heading)
    {
        var output = _output;
        var temporary = $"{output}.{Guid.NewGuid():N}.tmp";
        var clearedReadOnly = false;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            // The page holds spend, sessions and failure reasons: readable by its owner only whatever the
            // umask, and the rename keeps the mode (on Windows the folder's ACL decides, as for any file).
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = ReportMode;
            using (var stream = new FileStream(temporary, options))
            using (var page = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                HtmlReport.Write(page, report, heading);
                page.Flush();
                stream.Flush(flushToDisk: true);
            }
            var target = ReportTarget.Inspect(output, KnownLogs());
            Refuse(target);
            // -Force, as Export-Csv has it, replaces a read-only file and leaves the new one read-only. A rename
            // replaces a read-only file on Unix as it is; Windows refuses to unless the attribute is cleared first.
            if (target.ReadOnly && OperatingSystem.IsWindows())
            {
                File.SetAttributes(output, File.GetAttributes(output) & ~FileAttributes.ReadOnly);
                clearedReadOnly = true;
            }
            File.Move(temporary, output, overwrite: true);
            if (target.ReadOnly) File.SetAttributes(output, File.GetAttributes(output) | FileAttributes.ReadOnly);
            return new FileInfo(output);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            if (clearedReadOnly) TryQuietly(() => File.SetAttributes(output, File.GetAttributes(output) | FileAttributes.ReadOnly));
            throw Terminate(new IOException($"The report could not be written to '{output}': {error.Message}", error), ErrorIds.ReportWriteFailed, ErrorCategory.WriteError, output);
        }
        finally
        {
            TryQuietly(() => File.Delete(temporary)); // gone already when the report was moved into place
        }
    }

    /// <summary>Tidying after a write that failed or succeeded: its own failure changes nothing the user can act on.</summary>
    private static void TryQuietly(Action tidy)
    {
        try
        {
            tidy();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The error that matters, if any, is already on its way.
        }
    }

    /// <summary>Opens the page with the system's handler for .html files; where there is none (a server), says so.</summary>
    private void Open(FileInfo file)
    {
        try
        {
            using var browser = Process.Start(new ProcessStartInfo(file.FullName) { UseShellExecute = true });
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            WriteWarning($"The report was written to '{file.FullName}', but no browser could open it: {error.Message}");
        }
    }
}

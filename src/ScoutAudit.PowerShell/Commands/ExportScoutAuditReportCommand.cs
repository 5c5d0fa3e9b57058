using System.Diagnostics;
using System.Management.Automation;
using System.Text;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Binding;
using ScoutAudit.PowerShell.Report;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Writes a spend and accuracy report of one or more logs as one self-contained HTML page: spend
/// per day stacked by model with the budget, tokens, accuracy, when events happen, the costliest
/// models and sessions and the most frequent failure reasons, each chart with a table of its numbers.
/// </summary>
[Cmdlet(VerbsData.Export, "ScoutAuditReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class ExportScoutAuditReportCommand : AuditCommandBase
{
    /// <summary>The HTML file to write (replaced when it exists).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotBlank]
    public string Path { get; set; } = "";

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

    /// <summary>The logs to report on, together; by default the default log.</summary>
    [Parameter]
    [ValidateNotBlank]
    public string[]? LogPath { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Opens the report in the default browser.</summary>
    [Parameter]
    public SwitchParameter Show { get; set; }

    /// <summary>How many days the report covers when -Since is not given.</summary>
    public const int DefaultDays = 30;

    protected override void ProcessRecord()
    {
        var (firstDay, lastDay) = Days();
        var builder = new SpendReportBuilder(firstDay, lastDay);
        var logs = GivenPaths(LogPath).Select(given => (Given: given, Path: ResolveLogPath(given))).ToList();
        var output = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(output, $"Write the report of {string.Join(", ", logs.Select(l => l.Path))} for {firstDay:yyyy-MM-dd} to {lastDay:yyyy-MM-dd} (UTC)")) return;

        foreach (var (given, path) in logs)
        {
            Read(path, given, log =>
            {
                foreach (var e in log.Query(builder.Window, PipelineStopping)) builder.Add(e);
                return true;
            });
        }
        var report = builder.Build();
        var file = Save(output, report, new ReportHeading(Title, Budget, [.. logs.Select(l => l.Path)], DateTimeOffset.UtcNow));
        if (Show) Open(file);
        if (PassThru) WriteObject(file);
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
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"The report covers {last.DayNumber - first.DayNumber + 1} days; at most 3660 (ten years) fit a page of daily charts. Give a later -Since."),
                ErrorIds.InvalidTimeWindow, ErrorCategory.InvalidArgument, Since));
        return (first, last);
    }

    /// <summary>Writes the page beside its final name, then moves it there: a failed write leaves no half report behind.</summary>
    private FileInfo Save(string output, SpendReport report, ReportHeading heading)
    {
        var temporary = output + ".tmp";
        try
        {
            using (var page = new StreamWriter(temporary, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
                HtmlReport.Write(page, report, heading);
            File.Move(temporary, output, overwrite: true);
            return new FileInfo(output);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The write already failed; the error below names the file.
            }
            ThrowTerminatingError(Failure(new IOException($"The report could not be written to '{output}': {error.Message}", error), ErrorIds.ReportWriteFailed, ErrorCategory.WriteError, output));
            throw; // not reached
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

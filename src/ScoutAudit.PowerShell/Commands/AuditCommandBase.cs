using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// What every ScoutAudit cmdlet shares, each part in its own type: resolving -Path through
/// PowerShell's providers (<see cref="LogPaths"/>), running reads of logs (<see cref="QueryRunner"/>),
/// telling what they met (<see cref="CommandDiagnostics"/>), error records (<see cref="ErrorRecords"/>)
/// and key files (<see cref="KeyFileReader"/>); and a cancellation token that
/// <see cref="StopProcessing"/> cancels (Ctrl+C, Select-Object -First). The members here only hand
/// a command's calls to those parts.
/// </summary>
public abstract class AuditCommandBase : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private LogPaths? _paths;
    private CommandDiagnostics? _reports;
    private QueryRunner? _queries;

    /// <summary>Cancelled when the pipeline stops; passed to every streaming Core call.</summary>
    protected CancellationToken PipelineStopping => _stopping.Token;

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void StopProcessing() => _stopping.Cancel();

    // Made on first use: a cmdlet's SessionState is there only once it runs.
    private LogPaths Paths => _paths ??= new LogPaths(this);

    private CommandDiagnostics Reports => _reports ??= new CommandDiagnostics(this);

    private QueryRunner Queries => _queries ??= new QueryRunner(this, Reports, PipelineStopping);

    /// <inheritdoc cref="LogPaths.ResolveLogPath"/>
    private protected string ResolveLogPath(string? path) => Paths.ResolveLogPath(path);

    /// <inheritdoc cref="LogPaths.DefaultLogPathIfAny"/>
    private protected string? DefaultLogPathIfAny() => Paths.DefaultLogPathIfAny();

    /// <inheritdoc cref="LogPaths.ReadTargets"/>
    private protected IEnumerable<ReadTarget> ReadTargets(string[]? paths, string[]? literalPaths, bool waiting = false) => Paths.ReadTargets(paths, literalPaths, waiting);

    /// <inheritdoc cref="LogPaths.LogTargets"/>
    private protected IEnumerable<(string Given, string Log)> LogTargets(string[]? paths, string[]? literalPaths) => Paths.LogTargets(paths, literalPaths);

    /// <inheritdoc cref="LogPaths.ResolveReadTarget"/>
    private protected ReadTarget? ResolveReadTarget(string? given, bool listed = false) => Paths.ResolveReadTarget(given, listed);

    /// <inheritdoc cref="LogPaths.Exists"/>
    private protected bool Exists(ReadTarget target, bool waiting = false) => Paths.Exists(target, waiting);

    /// <inheritdoc cref="ErrorRecords.Failure"/>
    private protected static ErrorRecord Failure(Exception error, string errorId, ErrorCategory category, object? target, string? message = null) =>
        ErrorRecords.Failure(error, errorId, category, target, message);

    /// <inheritdoc cref="ErrorRecords.Terminate"/>
    private protected Exception Terminate(Exception error, string errorId, ErrorCategory category, object? target, string? message = null) =>
        ErrorRecords.Terminate(this, error, errorId, category, target, message);

    /// <inheritdoc cref="ErrorRecords.InvalidArgument"/>
    private protected static string InvalidArgument(string parameter, Exception error) => ErrorRecords.InvalidArgument(parameter, error);

    /// <inheritdoc cref="ErrorRecords.OneLine"/>
    internal static string OneLine(Exception error) => ErrorRecords.OneLine(error);

    /// <summary>
    /// A message as it may reach the terminal (<see cref="InertText"/>): a damaged line's message may
    /// quote the line, a finding's the archive index, and the host writes warnings and verbose
    /// messages as they are.
    /// </summary>
    private protected static string Inert(string message) => InertText.Of(message);

    /// <inheritdoc cref="KeyFileReader.Read"/>
    private protected ChainKey ReadKey(string path, string parameter, bool needPrivateKey) => KeyFileReader.Read(this, path, parameter, needPrivateKey);

    /// <summary>A time window; -Since after -Until is a terminating error.</summary>
    private protected EventFilter TimeWindow(DateTimeOffset? since, DateTimeOffset? until)
    {
        try
        {
            return new EventFilter { Since = since, Until = until };
        }
        catch (ArgumentException error)
        {
            throw Terminate(error, ErrorIds.InvalidTimeWindow, ErrorCategory.InvalidArgument, since, InvalidArgument("Since", error));
        }
    }

    /// <inheritdoc cref="QueryRunner.OpenForReading(string, QueryDiagnostics, QueryProgress)"/>
    private protected static AuditLog OpenForReading(string path, QueryDiagnostics diagnostics, QueryProgress progress) =>
        QueryRunner.OpenForReading(path, diagnostics, progress);

    /// <inheritdoc cref="QueryRunner.OpenForReading(ReadTarget, QueryDiagnostics, QueryProgress, bool)"/>
    private protected AuditLog OpenForReading(ReadTarget target, QueryDiagnostics diagnostics, QueryProgress progress, bool once) =>
        Queries.OpenForReading(target, diagnostics, progress, once);

    /// <inheritdoc cref="QueryRunner.Read{T}(string, string, Func{AuditLog, T})"/>
    private protected T Read<T>(string path, string? givenPath, Func<AuditLog, T> query) => Queries.Read(path, givenPath, query);

    /// <inheritdoc cref="QueryRunner.Read{T}(ReadTarget, string, Func{AuditLog, T}, bool)"/>
    private protected T Read<T>(ReadTarget target, string? givenPath, Func<AuditLog, T> query, bool once = true) => Queries.Read(target, givenPath, query, once);

    /// <inheritdoc cref="QueryRunner.Reading"/>
    private protected T Reading<TState, T>(QueryDiagnostics diagnostics, TState state, Func<TState, T> step) => Queries.Reading(diagnostics, state, step);

    /// <inheritdoc cref="QueryRunner.WarnWhenNoLog"/>
    private protected void WarnWhenNoLog(AuditLog log, string? givenPath, bool waiting = false) => Queries.WarnWhenNoLog(log, givenPath, waiting);

    /// <inheritdoc cref="QueryRunner.WarnWhenNothingToRead"/>
    private protected void WarnWhenNothingToRead(AuditLog log, ReadTarget target, string? givenPath, bool waiting = false) =>
        Queries.WarnWhenNothingToRead(log, target, givenPath, waiting);

    /// <inheritdoc cref="CommandDiagnostics.WriteProgressIfDue"/>
    private protected void WriteProgressIfDue(QueryProgress progress, QueryDiagnostics diagnostics) => Reports.WriteProgressIfDue(progress, diagnostics);

    /// <inheritdoc cref="CommandDiagnostics.WriteProgressCompleted"/>
    private protected void WriteProgressCompleted(QueryProgress progress, QueryDiagnostics diagnostics) => Reports.WriteProgressCompleted(progress, diagnostics);

    /// <inheritdoc cref="CommandDiagnostics.WriteQueryDiagnostics"/>
    private protected void WriteQueryDiagnostics(QueryDiagnostics diagnostics, bool skippedLinesAsWarnings = false) =>
        Reports.WriteQueryDiagnostics(diagnostics, skippedLinesAsWarnings);

    /// <inheritdoc cref="CommandDiagnostics.WriteSkippedLinesSummary"/>
    private protected void WriteSkippedLinesSummary(QueryDiagnostics diagnostics, string path) => Reports.WriteSkippedLinesSummary(diagnostics, path);

    /// <inheritdoc cref="CommandDiagnostics.WriteOddValuesSummary"/>
    private protected void WriteOddValuesSummary(QueryDiagnostics diagnostics, string path) => Reports.WriteOddValuesSummary(diagnostics, path);

    /// <inheritdoc cref="CommandDiagnostics.WritePendingDiagnostics"/>
    private protected void WritePendingDiagnostics(LogEntry entry) => Reports.WritePendingDiagnostics(entry);
}

using System.Diagnostics;
using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Binding;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Verifies logs as an auditor would: the archive index's chain and, with -PublicKey, its
/// signatures; every archive against its entry; archives outside the chain and entries whose
/// archive is gone; every line of the sealed segments and the active file. Writes one finding per
/// problem, then a summary per log; -Quiet writes only $true or $false. It writes nothing but its
/// verification state, where it is told to keep it, and asks nothing: recording what was verified
/// only makes the next check stricter. It never writes the chain: adding archives to it is
/// Register-ScoutAuditArchive's, and -Adopt, which did it before, is refused naming that cmdlet.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ScoutAuditLog", DefaultParameterSetName = ReportSet)]
[OutputType(typeof(IntegrityFinding), typeof(LogVerification), ParameterSetName = [ReportSet, ReportLiteralSet])]
[OutputType(typeof(bool), ParameterSetName = [QuietSet, QuietLiteralSet])]
public sealed class TestScoutAuditLogCommand : LogCommandBase
{
    private const string ReportSet = "Report";
    private const string QuietSet = "Quiet";
    private const string ReportLiteralSet = "ReportLiteralPath";
    private const string QuietLiteralSet = "QuietLiteralPath";

    /// <summary>The logs to verify, wildcards expanded (an archive matched stands for its log); by default the default log.</summary>
    [Parameter(ParameterSetName = ReportSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = QuietSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotBlank]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    /// <summary>The logs to verify, each exactly as given (for names with [, ], * or ?); bound from a file's PSPath.</summary>
    [Parameter(ParameterSetName = ReportLiteralSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = QuietLiteralSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotBlank]
    public string[]? LiteralPath { get; set; }

    private ChainKey? _publicKey;

    /// <summary>A PEM file holding the public key (or the private key) that signed the chain.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PublicKey { get; set; }

    /// <summary>
    /// Removed: adding archives to the chain is Register-ScoutAuditArchive's. Kept only to say so: given,
    /// it is a terminating error (ParameterMoved) that names that cmdlet, and nothing is verified or written.
    /// </summary>
    [Parameter]
    public SwitchParameter Adopt { get; set; }

    /// <summary>
    /// Writes $true when the log verified, else $false: nothing else. A log with archives outside
    /// the chain is $false unless -AllowUnchained; a signed chain checked without -PublicKey is
    /// $false unless -SkipSignature.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = QuietSet)]
    [Parameter(Mandatory = true, ParameterSetName = QuietLiteralSet)]
    public SwitchParameter Quiet { get; set; }

    /// <summary>With -Quiet: archives outside the chain (status Unchained) do not make the answer $false.</summary>
    [Parameter(ParameterSetName = QuietSet)]
    [Parameter(ParameterSetName = QuietLiteralSet)]
    public SwitchParameter AllowUnchained { get; set; }

    /// <summary>With -Quiet: a signed chain whose signatures were not checked (no -PublicKey) does not make the answer $false.</summary>
    [Parameter(ParameterSetName = QuietSet)]
    [Parameter(ParameterSetName = QuietLiteralSet)]
    public SwitchParameter SkipSignature { get; set; }

    /// <summary>
    /// The file that keeps what this verification saw, for the next one to compare with (default:
    /// &lt;log&gt;.verified beside the log in a directory you own; in your cache,
    /// $XDG_CACHE_HOME/scoutaudit or ~/.cache/scoutaudit, when the directory is another user's).
    /// Keep it where whoever can write the log's directory cannot.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    private string? _stateFor;
    private bool _toldWhereStateIs;

    protected override void BeginProcessing()
    {
        if (Adopt)
            throw Terminate(new ArgumentException(
                    "Test-ScoutAuditLog no longer adds archives to the chain: a test writes nothing to the log. " +
                    "Run Register-ScoutAuditArchive -Path <log> to add the archives outside the chain (it asks for each), then Test-ScoutAuditLog. Nothing was verified.", nameof(Adopt)),
                ErrorIds.ParameterMoved, ErrorCategory.InvalidArgument, "Adopt");
        if (PublicKey is not null) _publicKey = ReadKey(PublicKey, nameof(PublicKey), needPrivateKey: false);
    }

    protected override void ProcessRecord()
    {
        foreach (var path in NewLogsOf(Path, LiteralPath))
        {
            var clock = Stopwatch.StartNew();
            var log = new AuditLog(path, LogEntry.ReadOptions(NullAuditDiagnostics.Instance)); // verifying only reads
            string? statePath = null;
            if (StatePath is not null)
            {
                if (_stateFor is not null && _stateFor != path)
                {
                    WriteError(Failure(new ArgumentException($"-StatePath '{StatePath}' keeps the state of one log ('{_stateFor}'); verify '{path}' with a -StatePath of its own."),
                        ErrorIds.InvalidStatePath, ErrorCategory.InvalidArgument, path));
                    if (Quiet) WriteObject(false);
                    continue;
                }
                _stateFor = path;
                statePath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(StatePath);
            }
            if (!log.HasFiles)
            {
                WriteError(Failure(new FileNotFoundException($"No audit log at '{path}': neither the file nor an archive of it exists.", path),
                    ErrorIds.AuditLogNotFound, ErrorCategory.ObjectNotFound, path));
                if (Quiet) WriteObject(false);
                continue;
            }
            if (log.SharedDirectory() is { } shared)
                WriteWarning(Inert($"'{path}' lies in a directory others may change ({shared}): any of its files may have been put there by them. " +
                                   "The chain and a signature checked with -PublicKey are what vouch for the archives (about_ScoutAuditSecurity)."));
            var state = log.VerificationStateLocation(statePath);
            TellWhereStateIs(state);
            LogVerificationSummary summary;
            try
            {
                summary = log.Verify(_publicKey, finding =>
                {
                    if (!Quiet) WriteObject(new IntegrityFinding(finding, path));
                    else WriteVerbose(Inert(finding.Message));
                }, state, record: true, PipelineStopping);
            }
            catch (OperationCanceledException) when (PipelineStopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            var verification = new LogVerification(summary, clock.Elapsed);
            WriteVerbose(Inert($"{path}: {verification.Status}; {summary.Archives} archives ({summary.Chained} chained, {summary.Unchained} unchained, " +
                               $"{summary.SignaturesChecked} signatures checked), {summary.Errors} errors, {summary.Warnings} warnings, " +
                               $"{summary.BytesRead / 1e6:F1} MB in {clock.Elapsed.TotalSeconds:F2} s."));
            WriteObject(Quiet ? Passes(summary) : verification);
        }
    }

    /// <summary>
    /// Says once per command where a state that is not beside the log is kept: as a verbose message
    /// when it is in the caller's cache, as a warning when it is kept nowhere (the next verification
    /// cannot compare with this one).
    /// </summary>
    private void TellWhereStateIs(StateLocation state)
    {
        if (state.Note is not { } note) return;
        if (state.Place == StatePlace.CallersCache)
        {
            WriteVerbose(Inert(note));
            return;
        }
        if (_toldWhereStateIs) return;
        _toldWhereStateIs = true;
        WriteWarning(Inert(note + " Give -StatePath to keep it in a folder of your own."));
    }

    private bool Passes(LogVerificationSummary summary) => summary.Status switch
    {
        "Verified" => true,
        "Unchained" => AllowUnchained && (summary.Signed == summary.SignaturesChecked || SkipSignature),
        "SignaturesNotChecked" => SkipSignature,
        _ => false,
    };

    protected override void EndProcessing() => _publicKey?.Dispose();
}

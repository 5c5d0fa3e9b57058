using System.Management.Automation;
using ScoutAudit.PowerShell.Binding;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Changes a log's settings for the rest of the session: rotation size, sync policy, signing key and archive retention. The log's
/// open file is synced and closed, and reopened with the new settings by the next write.
/// </summary>
[Cmdlet(VerbsCommon.Set, "ScoutAuditLog", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(AuditLogInfo))]
public sealed class SetScoutAuditLogCommand : AuditCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LiteralPath")]
    [ValidateNotBlank]
    public string? Path { get; set; }

    /// <summary>Bytes, at least 4 KB; PowerShell's <c>10MB</c> literals work. 0 or $null: never rotate by size.</summary>
    [Parameter]
    [ValidateRangeOrNull(0, long.MaxValue)]
    public long? RotationSize { get; set; }

    /// <summary>Also seal the active file after every UTC hour or day boundary: at most one interval of events is outside the verifiable chain. None: by size only.</summary>
    [Parameter]
    public RotationInterval? RotationInterval { get; set; }

    [Parameter]
    public SyncMode? SyncPolicy { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? SyncEveryLines { get; set; }

    [Parameter]
    public TimeSpan? SyncInterval { get; set; }

    /// <summary>
    /// A PEM file holding an EC private key: the index entry of each archive this session makes is
    /// signed with it. An empty string stops signing.
    /// </summary>
    [Parameter]
    [AllowEmptyString]
    public string? SigningKey { get; set; }

    /// <summary>After each rotation, archives beyond the newest this many are removed (recorded in the chain); $null: no limit.</summary>
    [Parameter]
    [ValidateRangeOrNull(1, int.MaxValue)]
    public int? KeepArchives { get; set; }

    /// <summary>After each rotation, archives whose newest event is older than this are removed (recorded in the chain); $null: no limit.</summary>
    [Parameter]
    public TimeSpan? KeepArchivesFor { get; set; }

    /// <summary>
    /// Writes the log even though its directory may be changed by another user (group or world
    /// writable without the sticky bit, or owned by another user), with a warning each session;
    /// -AllowSharedDirectory:$false refuses again, the default.
    /// </summary>
    [Parameter]
    public SwitchParameter AllowSharedDirectory { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var path = ResolveLogPath(Path);
        var entry = LogRegistry.Instance.Get(path);
        var settings = NewSettings(entry.Settings);
        if (!ShouldProcess(path, $"Set {Describe(settings)} for this session")) return;
        try
        {
            entry.Reconfigure(settings);
        }
        catch (AuditLogException error)
        {
            WriteError(Failure(error, ErrorIds.AuditLogCloseFailed, ErrorCategory.WriteError, path));
        }
        WritePendingDiagnostics(entry);
        if (PassThru)
            WriteObject(new AuditLogInfo(path, entry.Log.ActiveFileSize, entry.Log.Archives(), settings, entry.UnsyncedLines, entry.AtRiskLines));
    }

    /// <summary>
    /// The smallest rotation size Set-ScoutAuditLog takes: below it every few events would become an
    /// archive, and a value such as 10 is a forgotten unit (10MB) far more often than a wish.
    /// </summary>
    internal const long MinimumRotationSize = 4 * 1024;

    private AuditLogOptions NewSettings(AuditLogOptions current)
    {
        var bound = MyInvocation.BoundParameters;
        var policy = current.SyncPolicy;
        try
        {
            if (SyncPolicy is { } mode) policy = policy with { Mode = mode };
            if (SyncEveryLines is { } lines) policy = policy with { EveryLines = lines };
            if (SyncInterval is { } interval) policy = policy with { Interval = interval };
        }
        catch (ArgumentOutOfRangeException error)
        {
            throw Terminate(error, ErrorIds.InvalidLogSetting, ErrorCategory.InvalidArgument, error.ActualValue,
                InvalidArgument(error.ParamName == nameof(Core.SyncPolicy.Interval) ? nameof(SyncInterval) : nameof(SyncEveryLines), error));
        }
        var rotationSize = bound.ContainsKey(nameof(RotationSize))
            ? RotationSize is null or 0 ? null : AtLeastTheMinimum(RotationSize.Value)
            : current.RotationSize;
        var retention = NewRetention(current.Retention);
        var signingKey = !bound.ContainsKey(nameof(SigningKey)) ? current.SigningKey
            : string.IsNullOrEmpty(SigningKey) ? null
            : ReadKey(SigningKey, nameof(SigningKey), needPrivateKey: true);
        return current with { SyncPolicy = policy, RotationSize = rotationSize, SigningKey = signingKey, Retention = retention,
            RotationInterval = RotationInterval ?? current.RotationInterval,
            AllowSharedDirectory = bound.ContainsKey(nameof(AllowSharedDirectory)) ? AllowSharedDirectory.IsPresent : current.AllowSharedDirectory };
    }

    /// <summary>A rotation size of at least <see cref="MinimumRotationSize"/>; a smaller one is refused, suggesting the unit it most likely lacks.</summary>
    private long AtLeastTheMinimum(long size)
    {
        if (size >= MinimumRotationSize) return size;
        var meant = size <= 1024 ? $"{size}MB" : $"{size}KB";
        var error = new ArgumentOutOfRangeException(nameof(RotationSize), size,
            $"{size} bytes is below the minimum of {MinimumRotationSize / 1024} KB; did you mean {meant}? Give 0 or $null to never rotate by size.");
        throw Terminate(error, ErrorIds.InvalidLogSetting, ErrorCategory.InvalidArgument, size, InvalidArgument(nameof(RotationSize), error));
    }

    private ArchiveRetention? NewRetention(ArchiveRetention? current)
    {
        var bound = MyInvocation.BoundParameters;
        var keep = bound.ContainsKey(nameof(KeepArchives)) ? KeepArchives : current?.Keep;
        var maxAge = bound.ContainsKey(nameof(KeepArchivesFor)) ? KeepArchivesFor : current?.MaxAge;
        if (keep is null && maxAge is null) return null;
        try
        {
            return new ArchiveRetention { Keep = keep, MaxAge = maxAge };
        }
        catch (ArgumentOutOfRangeException error)
        {
            throw Terminate(error, ErrorIds.InvalidLogSetting, ErrorCategory.InvalidArgument, error.ActualValue, InvalidArgument(nameof(KeepArchivesFor), error));
        }
    }

    private static string Describe(AuditLogOptions settings) =>
        $"sync policy {settings.SyncPolicy}, rotation {(settings.RotationSize is { } size ? $"at {size} bytes" : "never by size")}" +
        (settings.RotationInterval == Core.RotationInterval.None ? ", " : $" and every {settings.RotationInterval} (UTC), ") +
        (settings.SigningKey is { } key ? $"archive index entries signed with key {key.Id}" : "archive index entries unsigned") +
        $", archives removed after each rotation: {settings.Retention?.ToString() ?? "none"}" +
        (settings.AllowSharedDirectory ? ", written in a directory others may change" : "");
}

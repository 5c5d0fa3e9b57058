namespace ScoutAudit.Core;

/// <summary>What a rotation did (<see cref="AuditLog.Rotate(Func{ArchiveDescription, bool}, CancellationToken)"/>).</summary>
/// <param name="Archive">The archive made, or null when the active file was empty.</param>
/// <param name="Removed">The archives the log's retention removed afterwards, oldest first, each recorded in the chain.</param>
public sealed record RotationResult(ArchiveDescription? Archive, IReadOnlyList<ArchiveDescription> Removed);

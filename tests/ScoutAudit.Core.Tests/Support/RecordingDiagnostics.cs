using System.Collections.Concurrent;

namespace ScoutAudit.Core.Tests.Support;

/// <summary>Keeps every diagnostic the engine reports.</summary>
public sealed class RecordingDiagnostics : IAuditDiagnostics
{
    private readonly ConcurrentQueue<AuditDiagnostic> _reports = new();

    public IReadOnlyList<AuditDiagnostic> Reports => _reports.ToArray();

    /// <summary>The reports of something wrong, leaving out details such as which files were read.</summary>
    public IReadOnlyList<AuditDiagnostic> Problems => Reports.Where(r => r.IsProblem).ToArray();

    public IReadOnlyList<AuditDiagnostic> Of(AuditDiagnosticKind kind) => Reports.Where(r => r.Kind == kind).ToArray();

    public void Report(AuditDiagnostic diagnostic) => _reports.Enqueue(diagnostic);
}

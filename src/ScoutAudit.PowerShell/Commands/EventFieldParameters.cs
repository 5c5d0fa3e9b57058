using System.Reflection;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Write-ScoutAuditEvent's parameters for the standard fields, as <see cref="StandardFields.All"/>
/// names them (<see cref="StandardField.Property"/>): which parameters describe an event, and the value
/// a refused field's parameter holds, which its error names as target.
/// </summary>
internal static class EventFieldParameters
{
    private static readonly Dictionary<string, PropertyInfo> ByField = StandardFields.All.ToDictionary(
        field => field.Name,
        field => typeof(WriteScoutAuditEventCommand).GetProperty(field.Property)
            ?? throw new InvalidOperationException($"Write-ScoutAuditEvent has no parameter {field.Property} for the standard field '{field.Name}'."),
        StringComparer.Ordinal);

    /// <summary>The parameters that describe an event, as opposed to where and how it is written: every standard field's, and -Property.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. StandardFields.All.Select(field => field.Property), nameof(WriteScoutAuditEventCommand.Property)];

    /// <summary>What <paramref name="command"/>'s parameter of <paramref name="field"/> holds (read on a refusal only).</summary>
    public static object? ValueOf(WriteScoutAuditEventCommand command, StandardField field) => ByField[field.Name].GetValue(command);
}

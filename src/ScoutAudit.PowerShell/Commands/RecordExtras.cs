using System.Collections.Specialized;
using System.Management.Automation;
using System.Reflection;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// The properties of a piped record that no parameter of Write-ScoutAuditEvent takes, kept as extra
/// fields: the original's <c>log(**fields)</c> writes any field it is given, so a CSV column
/// (<c>Ticket</c>) or a member of a JSON line that the format has no name for is written, not
/// dropped. Only a record made of its properties is read so: a custom object (Import-Csv,
/// ConvertFrom-Json, <c>[pscustomobject]</c>). A .NET object (a process, a file) has dozens of
/// properties that say nothing about the event; its fields are given with -Property.
/// <para>
/// Never taken as fields: the names a parameter takes (with their aliases, the line's names among
/// them), and the properties an event of this module shows (Id, Path, Line...), so that an exported
/// event comes back as it was and a column named Path never redirects the write. A record that
/// carries ExtraFields (an event exported to CSV) has all its extra fields there: its other columns
/// are the first event's extras, for reading only, and are not read again.
/// </para>
/// </summary>
internal static class RecordExtras
{
    private const string ExtraFields = "ExtraFields";

    private static readonly HashSet<string> Taken = TakenNames();

    /// <summary>The record's properties that are extra fields, in the record's order; null when it has none or is not a custom object.</summary>
    public static OrderedDictionary? Of(PSObject? record)
    {
        if (record?.BaseObject is not PSCustomObject) return null;
        OrderedDictionary? extras = null;
        foreach (var property in record.Properties)
        {
            if (property.MemberType != PSMemberTypes.NoteProperty) continue;
            if (string.Equals(property.Name, ExtraFields, StringComparison.OrdinalIgnoreCase)) return null;
            if (Taken.Contains(property.Name)) continue;
            extras ??= new OrderedDictionary(StringComparer.Ordinal);
            extras[property.Name] = property.Value;
        }
        return extras;
    }

    private static HashSet<string> TakenNames()
    {
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { nameof(WriteScoutAuditEventCommand.Timestamp), StandardFields.Timestamp };
        foreach (var parameter in typeof(WriteScoutAuditEventCommand).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!parameter.GetCustomAttributes<ParameterAttribute>().Any(p => p.ValueFromPipelineByPropertyName)) continue;
            taken.Add(parameter.Name);
            foreach (var alias in parameter.GetCustomAttributes<AliasAttribute>().SelectMany(a => a.AliasNames)) taken.Add(alias);
        }
        foreach (var shown in typeof(AuditEvent).GetProperties(BindingFlags.Public | BindingFlags.Instance)) taken.Add(shown.Name);
        return taken;
    }
}

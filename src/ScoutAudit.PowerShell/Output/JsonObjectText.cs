using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Binding;

namespace ScoutAudit;

/// <summary>
/// The JSON objects of a line (an event's Config, an object inside an extra field) are the custom
/// objects ConvertFrom-Json would give, under the type name <see cref="TypeName"/>, whose ToString
/// (a code method in the module's type data) is their JSON text in the line's form. Export-Csv
/// writes a property's ToString(), so a Config cell is JSON that Write-ScoutAuditEvent -Config reads
/// back, not PowerShell's lossy <c>@{tags=System.Object[]}</c>.
/// </summary>
public static class JsonObjectText
{
    public const string TypeName = "ScoutAudit.JsonObject";

    /// <summary>The object's JSON text as it is now (edits made in the session included).</summary>
    public static string ToJson(PSObject value) =>
        JsonValues.Format(JsonValues.ObjectFrom(value, "object", PSInput.Adapter()), "object");
}

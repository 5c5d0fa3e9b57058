using System.Collections.ObjectModel;
using System.Text.Json;
using ScoutAudit.Core;

namespace ScoutAudit;

/// <summary>
/// The files of an event: a read-only list of paths that prints as the JSON array the line holds
/// (<c>["a.py", "b c.py"]</c>). Export-Csv writes a property's ToString(), so this is what makes a
/// CSV cell Write-ScoutAuditEvent reads back as the same list, whatever the names contain.
/// </summary>
public sealed class FileList(IList<string> files) : ReadOnlyCollection<string>(files)
{
    public override string ToString() => JsonValues.Format(JsonValues.From(this, StandardFields.Files), StandardFields.Files);

    /// <summary>
    /// -Files as given, or the list a single JSON array of strings stands for (the cell Export-Csv
    /// wrote from <see cref="ToString"/>). Any other single value is one file name.
    /// </summary>
    internal static string[]? ReadBack(string[]? files)
    {
        if (files is not [var single] || !single.StartsWith('[')) return files;
        try
        {
            using var document = JsonDocument.Parse(single);
            var array = document.RootElement;
            if (array.ValueKind != JsonValueKind.Array || array.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String)) return files;
            return array.EnumerateArray().Select(item => item.GetString()!).ToArray();
        }
        catch (JsonException)
        {
            return files;
        }
    }
}

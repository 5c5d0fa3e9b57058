using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>Which standard field a line's key names, looked up in <see cref="StandardFields.All"/>.</summary>
internal static class LineKeys
{
    /// <summary>The standard fields by the length of their names: one look at a key's length, then one or two comparisons, for most keys.</summary>
    private static readonly StandardField[][] ByLength = Build();

    /// <summary>The standard field the key at <paramref name="reader"/> names, or null for an extra field.</summary>
    public static StandardField? Of(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            // Rare: a key written with escapes ("\u0074s"); compare its unescaped text.
            foreach (var field in StandardFields.Rows)
            {
                if (reader.ValueTextEquals(field.Utf8Name)) return field;
            }
            return null;
        }
        var key = reader.ValueSpan;
        if (key.Length >= ByLength.Length) return null;
        foreach (var field in ByLength[key.Length])
        {
            if (key.SequenceEqual(field.Utf8Name)) return field;
        }
        return null;
    }

    private static StandardField[][] Build()
    {
        var byLength = new StandardField[StandardFields.Rows.Max(field => field.Utf8Name.Length) + 1][];
        for (var length = 0; length < byLength.Length; length++)
            byLength[length] = Array.FindAll(StandardFields.Rows, field => field.Utf8Name.Length == length);
        return byLength;
    }
}

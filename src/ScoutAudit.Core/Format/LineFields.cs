using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// The fields of a line as the parser found them, beyond its header (internal hand-over to
/// <see cref="LogEvent.FromLine"/>): the standard values, the extra fields and the invalid ones.
/// </summary>
internal struct LineFields
{
    public FieldValues Values;
    public FieldList<JsonElement>? Extras;
    public FieldList<InvalidField>? Invalid;

    /// <summary>The line's count of extra-field members when it has more than <see cref="EventFieldRules.MaxExtraFields"/> (then none is read), else 0.</summary>
    public int OmittedExtraFields;

    /// <summary>An extra field. Python: a repeated name keeps its first position and takes the last value.</summary>
    public void SetExtra(string name, JsonElement value) => (Extras ??= new()).Set(name, value);

    /// <summary>
    /// Keeps a field's text as invalid (the last of repeated keys wins) and clears what the field held:
    /// <paramref name="standard"/>'s value, or else the extra field <paramref name="extraName"/>.
    /// </summary>
    public void KeepInvalid(StandardField? standard, string? extraName, ReadOnlySpan<byte> json)
    {
        var name = standard?.Name ?? extraName!;
        if (standard is not null) Values.Clear(standard);
        else Extras?.Remove(name);
        // A line holds no line break; a lone CR inside a value's whitespace is made a space so the text stays one line.
        var text = System.Text.Encoding.UTF8.GetString(json).Replace('\r', ' ');
        (Invalid ??= new()).Set(name, new InvalidField(name, text));
    }

    /// <summary>Forgets that a field was invalid: a repeated key whose last value is valid.</summary>
    public void ForgetInvalid(string? name)
    {
        if (name is not null) Invalid!.Remove(name);
        if (Invalid!.Count == 0) Invalid = null;
    }

    /// <summary>Forgets every extra field read so far, valid or not: the line has more than an event may have.</summary>
    public void DropExtras()
    {
        Extras = null;
        if (Invalid is null) return;
        Invalid.RemoveWhere(name => !StandardFields.IsStandard(name));
        if (Invalid.Count == 0) Invalid = null;
    }
}

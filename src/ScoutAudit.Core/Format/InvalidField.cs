namespace ScoutAudit.Core;

/// <summary>
/// A field of a line whose JSON value the field cannot hold: a standard field of the wrong JSON type
/// (<c>"cost": "0.5"</c>, <c>"files": "a.py"</c>, <c>"output_t": 3.7</c>), a number out of the field's
/// range (a token count beyond a 64-bit integer, <c>1e400</c>), or a value holding one of the tokens
/// Python writes for non-finite floats (<c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>), which JSON
/// itself does not have. The original reads such a line as an event, so Core does too: the
/// standard property is null (an extra field is absent from <see cref="LogEvent.Extras"/>), the
/// value is kept here as the line's JSON text, and sums leave it out.
/// </summary>
/// <param name="Name">The field's name as the line spells it (<c>cost</c>, or an extra field's name).</param>
/// <param name="Json">The field's value, as the JSON text of the line (<c>"0.5"</c> with its quotes, <c>NaN</c>, <c>3.7</c>).</param>
public sealed record InvalidField(string Name, string Json)
{
    /// <summary>What the field holds when it is well typed, in words (<c>a number</c>); for an extra field, <c>a JSON value</c>.</summary>
    public string Expected => StandardFields.Find(Name)?.Expected ?? "a JSON value (NaN and Infinity are not)";
}

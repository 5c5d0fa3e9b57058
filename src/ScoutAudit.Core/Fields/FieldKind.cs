namespace ScoutAudit.Core;

/// <summary>
/// What a standard field holds, which decides how a line's value is read, written back and sent:
/// its JSON type, the number form the original's callers write, and what an invalid value was expected to be.
/// </summary>
public enum FieldKind
{
    /// <summary>The event's time: a string in ISO 8601 (<c>ts</c>); part of the header every line must have.</summary>
    Time,

    /// <summary>A short name every line must have (<c>event</c>, <c>session_id</c>).</summary>
    Name,

    /// <summary>A number the original writes as a float (<c>cost</c>: <c>0.0</c>, <c>3e-06</c>).</summary>
    Money,

    /// <summary>A number the original writes as an int when integral (<c>confidence</c>, <c>duration_ms</c>).</summary>
    Measure,

    /// <summary>A whole number within 64 bits (<c>input_t</c>, <c>output_t</c>).</summary>
    Count,

    /// <summary>A string whose values repeat from line to line and that summaries group by (<c>model</c>): pooled when read.</summary>
    Label,

    /// <summary>Free text (<c>reason</c>): read only when the event is built, never by summaries.</summary>
    Text,

    /// <summary>A list of strings (<c>files</c>).</summary>
    FileList,

    /// <summary>A JSON object (<c>config</c>).</summary>
    Object,
}

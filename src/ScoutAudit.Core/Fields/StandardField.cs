using System.Text;

namespace ScoutAudit.Core;

/// <summary>
/// One standard field of a line, described once (a row of <see cref="StandardFields.All"/>): its
/// name on the line, the property that holds it, what it holds, whether a rule can refuse its value,
/// and how OTLP carries it. The parser, the formatter, the OTLP mapping, Write-ScoutAuditEvent's
/// error mapping and the original-name properties of the emitted events all read these rows.
/// </summary>
public sealed class StandardField
{
    internal StandardField(FieldId id, string name, string property, FieldKind kind, bool hasRule, string? otlpAttribute)
    {
        Id = id;
        Name = name;
        Property = property;
        Kind = kind;
        HasRule = hasRule;
        OtlpAttribute = otlpAttribute;
        Utf8Name = Encoding.UTF8.GetBytes(name);
        Member = Encoding.UTF8.GetBytes($", \"{name}\": ");
    }

    internal FieldId Id { get; }

    /// <summary>The field's name on the line, as the original spells it (<c>input_t</c>).</summary>
    public string Name { get; }

    /// <summary>
    /// The PowerShell-style name of the property that holds it (<c>InputTokens</c>): Core's
    /// <see cref="LogEvent"/> property, the emitted event's property and Write-ScoutAuditEvent's parameter.
    /// </summary>
    public string Property { get; }

    /// <summary>What the field holds.</summary>
    public FieldKind Kind { get; }

    /// <summary>
    /// Whether a rule of <see cref="EventFieldRules"/> can refuse a value given for it (a negative cost,
    /// an empty event type); a refused value is the error of the parameter <see cref="Property"/>.
    /// </summary>
    public bool HasRule { get; }

    /// <summary>
    /// The OTLP log record attribute that carries it (<c>gen_ai.usage.input_tokens</c>), or null when
    /// the record carries it otherwise (the time). OpenTelemetry's own attributes are sent before the
    /// record's identity (<c>scout.log</c>, <c>scout.id</c>), the module's <c>scout.*</c> ones after it.
    /// </summary>
    public string? OtlpAttribute { get; }

    /// <summary>Whether <see cref="OtlpAttribute"/> is one of OpenTelemetry's own rather than the module's <c>scout.*</c>.</summary>
    internal bool OtlpConvention => OtlpAttribute is { } attribute && !attribute.StartsWith("scout.", StringComparison.Ordinal);

    /// <summary>
    /// Whether emitted events have a hidden property of the field's line name (<c>input_t</c>) beside
    /// <see cref="Property"/>, for scripts written against raw lines: every field whose line name is
    /// not its property's name in another case.
    /// </summary>
    public bool HasOriginalNameProperty => !string.Equals(Name, Property, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether every line must have it (<c>ts</c>, <c>event</c>, <c>session_id</c>).</summary>
    public bool IsHeader => Kind is FieldKind.Time or FieldKind.Name;

    /// <summary>What a well-typed value is, in words (<c>a number</c>), for an invalid field; null for a header field, which a line cannot do without.</summary>
    public string? Expected => Kind switch
    {
        FieldKind.Money or FieldKind.Measure => "a finite number",
        FieldKind.Count => "a whole number within 64 bits",
        FieldKind.Label or FieldKind.Text => "a string",
        FieldKind.FileList => "a list of strings",
        FieldKind.Object => "an object",
        _ => null,
    };

    /// <summary>The name as UTF-8, as the parser compares a line's keys.</summary>
    internal byte[] Utf8Name { get; }

    /// <summary>What the formatter writes before the value: <c>, "cost": </c>.</summary>
    internal byte[] Member { get; }

    public override string ToString() => Name;
}

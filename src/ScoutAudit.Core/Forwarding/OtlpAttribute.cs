namespace ScoutAudit.Core;

/// <summary>The kinds of OTLP <c>AnyValue</c> the mapping produces.</summary>
internal enum OtlpValueKind : byte
{
    /// <summary>An AnyValue with none of its fields set (a JSON null).</summary>
    Empty,
    String,
    Bool,
    Int,
    Double,
    /// <summary>An <c>arrayValue</c> of strings.</summary>
    StringArray,
}

/// <summary>
/// One attribute of a log record or resource, as <see cref="OtlpLogEncoding"/> maps it: a key and one typed
/// value, written by both encodings (<see cref="OtlpJsonBody"/>, <see cref="OtlpProtobufBody"/>).
/// </summary>
internal readonly record struct OtlpAttribute(string Key, OtlpValueKind Kind, string? Text = null, long Int = 0, double Double = 0, bool Bool = false, IReadOnlyList<string>? Strings = null)
{
    public static OtlpAttribute String(string key, string value) => new(key, OtlpValueKind.String, Text: value);

    public static OtlpAttribute Integer(string key, long value) => new(key, OtlpValueKind.Int, Int: value);

    public static OtlpAttribute Number(string key, double value) => new(key, OtlpValueKind.Double, Double: value);

    public static OtlpAttribute Boolean(string key, bool value) => new(key, OtlpValueKind.Bool, Bool: value);

    public static OtlpAttribute Empty(string key) => new(key, OtlpValueKind.Empty);

    public static OtlpAttribute StringArray(string key, IReadOnlyList<string> values) => new(key, OtlpValueKind.StringArray, Strings: values);
}

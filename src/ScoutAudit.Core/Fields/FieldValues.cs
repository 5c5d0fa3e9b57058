using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// The values of an event's optional standard fields, strongly typed, with access by
/// <see cref="FieldId"/> for the code that walks <see cref="StandardFields.All"/> (one case per field of a kind).
/// </summary>
internal struct FieldValues
{
    public double? Cost;
    public string? Model;
    public long? InputTokens;
    public long? OutputTokens;
    public IReadOnlyList<string>? Files;
    public string? Reason;
    public double? Confidence;
    public double? DurationMs;
    public JsonElement? Config;
    public NumberForms Forms;

    /// <summary>A <see cref="FieldKind.Money"/> or <see cref="FieldKind.Measure"/> field's value.</summary>
    public readonly double? Number(FieldId id) => id switch
    {
        FieldId.Cost => Cost,
        FieldId.Confidence => Confidence,
        FieldId.DurationMs => DurationMs,
        _ => throw NotOfKind(id),
    };

    public void SetNumber(FieldId id, double? value)
    {
        switch (id)
        {
            case FieldId.Cost: Cost = value; break;
            case FieldId.Confidence: Confidence = value; break;
            case FieldId.DurationMs: DurationMs = value; break;
            default: throw NotOfKind(id);
        }
    }

    /// <summary>A <see cref="FieldKind.Count"/> field's value.</summary>
    public readonly long? Count(FieldId id) => id switch
    {
        FieldId.InputTokens => InputTokens,
        FieldId.OutputTokens => OutputTokens,
        _ => throw NotOfKind(id),
    };

    public void SetCount(FieldId id, long? value)
    {
        switch (id)
        {
            case FieldId.InputTokens: InputTokens = value; break;
            case FieldId.OutputTokens: OutputTokens = value; break;
            default: throw NotOfKind(id);
        }
    }

    /// <summary>A <see cref="FieldKind.Label"/> or <see cref="FieldKind.Text"/> field's value.</summary>
    public readonly string? Text(FieldId id) => id switch
    {
        FieldId.Model => Model,
        FieldId.Reason => Reason,
        _ => throw NotOfKind(id),
    };

    public void SetText(FieldId id, string? value)
    {
        switch (id)
        {
            case FieldId.Model: Model = value; break;
            case FieldId.Reason: Reason = value; break;
            default: throw NotOfKind(id);
        }
    }

    /// <summary>A <see cref="FieldKind.FileList"/> field's value.</summary>
    public readonly IReadOnlyList<string>? List(FieldId id) => id == FieldId.Files ? Files : throw NotOfKind(id);

    public void SetList(FieldId id, IReadOnlyList<string>? value) => Files = id == FieldId.Files ? value : throw NotOfKind(id);

    /// <summary>A <see cref="FieldKind.Object"/> field's value.</summary>
    public readonly JsonElement? Object(FieldId id) => id == FieldId.Config ? Config : throw NotOfKind(id);

    public void SetObject(FieldId id, JsonElement? value) => Config = id == FieldId.Config ? value : throw NotOfKind(id);

    /// <summary>Whether the field has a value.</summary>
    public readonly bool Has(StandardField field) => field.Kind switch
    {
        FieldKind.Money or FieldKind.Measure => Number(field.Id).HasValue,
        FieldKind.Count => Count(field.Id).HasValue,
        FieldKind.Label or FieldKind.Text => Text(field.Id) is not null,
        FieldKind.FileList => List(field.Id) is not null,
        FieldKind.Object => Object(field.Id).HasValue,
        _ => throw NotOfKind(field.Id),
    };

    /// <summary>Forgets the field's value and its number form (a value of the wrong type was read in its place).</summary>
    public void Clear(StandardField field)
    {
        switch (field.Kind)
        {
            case FieldKind.Money or FieldKind.Measure: SetNumber(field.Id, null); break;
            case FieldKind.Count: SetCount(field.Id, null); break;
            case FieldKind.Label or FieldKind.Text: SetText(field.Id, null); break;
            case FieldKind.FileList: SetList(field.Id, null); break;
            case FieldKind.Object: SetObject(field.Id, null); break;
            default: throw NotOfKind(field.Id);
        }
        Forms = Forms.Without(field.Id);
    }

    private static ArgumentOutOfRangeException NotOfKind(FieldId id) =>
        new(nameof(id), id, "The field is not of the kind asked for, or not an optional field.");
}

/// <summary>
/// Python writes an int or a float depending on the caller's value, so <c>"cost": 0</c> and
/// <c>"cost": 0.0</c> are both in the wild. The default is what the original's callers pass
/// (<see cref="FieldKind.Money"/> a float; <see cref="FieldKind.Count"/> an int, <see cref="FieldKind.Measure"/>
/// an int when integral); a bit per field (by <see cref="FieldId"/>) records a line that differs, so that
/// reading and writing it again gives back the same bytes.
/// </summary>
internal readonly record struct NumberForms(ushort Bits)
{
    /// <summary>Whether the field's number was written in the other form than its kind's default.</summary>
    public bool IsOther(FieldId id) => (Bits & (1 << (int)id)) != 0;

    public NumberForms With(FieldId id, bool other) => other ? new((ushort)(Bits | (1 << (int)id))) : Without(id);

    public NumberForms Without(FieldId id) => new((ushort)(Bits & ~(1 << (int)id)));
}

using System.Collections;
using System.Management.Automation;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Binding;

/// <summary>
/// What the error of a refused piped record names as its target: a copy of the record with its
/// secrets redacted as Write-ScoutAuditEvent would have written them. The record itself stays the way to
/// tell which one was refused (an Import-Csv row, a custom object), but Get-Error prints the target
/// and <c>$Error | Export-Clixml</c> saves it, and a record refused for a bad cost may carry a
/// password in its Config. Each member: under a secret's name, <c>[REDACTED]</c>; a string, with the
/// secrets of known shape replaced; an object, list or dictionary, as the JSON text it would be
/// written as, redacted (or only its type, when it cannot be written at all: that may be why it was
/// refused); a number, a boolean, a time as it is.
/// </summary>
internal static class RefusedRecord
{
    public static PSObject Of(PSObject record)
    {
        var copy = new PSObject();
        foreach (var (name, value) in Members(record))
        {
            copy.Properties.Add(new PSNoteProperty(name, Value(name, value)));
        }
        return copy;
    }

    private static IEnumerable<(string Name, object? Value)> Members(PSObject record)
    {
        if (record.BaseObject is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary) yield return (entry.Key.ToString() ?? "", entry.Value);
            yield break;
        }
        foreach (var property in record.Properties)
        {
            object? value;
            try
            {
                value = property.Value;
            }
            catch (GetValueException)
            {
                continue; // a property that cannot be read was not bound either
            }
            yield return (property.Name, value);
        }
    }

    /// <summary>A value given for a field (or parameter) named <paramref name="name"/>, as a refusal may show it.</summary>
    public static object? Value(string name, object? value)
    {
        var plain = value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : value;
        switch (plain)
        {
            case null:
                return null;
            case string text:
                return SecretRedactor.IsSecretName(name) && text.Length > 0 ? SecretRedactor.Marker : SecretRedactor.RedactText(text);
            case bool or DateTime or DateTimeOffset or Guid or Enum:
                return plain;
            case var number when number.GetType().IsPrimitive || number is decimal or System.Numerics.BigInteger:
                return SecretRedactor.IsSecretName(name) ? SecretRedactor.Marker : number;
        }
        try
        {
            return JsonValues.Format(SecretRedactor.RedactValue(name, JsonValues.From(value, name, PSInput.Adapter())), name);
        }
        catch (ArgumentException)
        {
            return $"({plain.GetType().FullName}, not shown)";
        }
    }
}

using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// The refusal of a config or extra field with the secrets of its message redacted: the message may
/// quote a key, and a secret used as a key (an API key as a field name) would reach Get-Error.
/// </summary>
internal static class RedactedError
{
    public static ArgumentException Of(ArgumentException error)
    {
        // .NET ends the message with " (Parameter 'name')": the name is redacted on its own.
        var message = error.ParamName is { } name ? error.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : error.Message;
        var redacted = SecretRedactor.RedactText(message);
        var redactedName = error.ParamName is { } field ? SecretRedactor.RedactText(field) : null;
        return ReferenceEquals(redacted, message) && ReferenceEquals(redactedName, error.ParamName)
            ? error
            : new ArgumentException(redacted, redactedName);
    }
}

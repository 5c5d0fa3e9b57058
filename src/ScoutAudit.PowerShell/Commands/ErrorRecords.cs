using System.Management.Automation;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// The module's error records: one line that says the value once, made inert for the terminal,
/// and the one way a command stops with one (<see cref="Terminate"/>).
/// </summary>
internal static class ErrorRecords
{
    /// <summary>
    /// An error record whose message is one line that says the value once: PowerShell shows
    /// ErrorDetails.Message in place of the exception's message, which for an ArgumentException ends
    /// with " (Parameter 'x')" in .NET's naming and for an ArgumentOutOfRangeException has a second
    /// line repeating the value. The exception itself is kept, with its ParamName and inner exception.
    /// </summary>
    public static ErrorRecord Failure(Exception error, string errorId, ErrorCategory category, object? target, string? message = null)
    {
        var record = new ErrorRecord(error, errorId, category, target);
        // What the host shows: a path, a process's command line or a line of the log in the message
        // reaches the terminal with its control and bidirectional characters made visible.
        var text = InertText.Of(message ?? OneLine(error));
        if (text != error.Message) record.ErrorDetails = new ErrorDetails(text);
        return record;
    }

    /// <summary>
    /// Stops <paramref name="command"/> with the error record <see cref="Failure"/> makes: the one way
    /// every terminating error of the module is raised. ThrowTerminatingError never returns; this
    /// returns an exception only so that a call reads <c>throw Terminate(...)</c> and the compiler
    /// knows the path ends there.
    /// </summary>
    public static Exception Terminate(Cmdlet command, Exception error, string errorId, ErrorCategory category, object? target, string? message = null)
    {
        command.ThrowTerminatingError(Failure(error, errorId, category, target, message));
        return new System.Diagnostics.UnreachableException();
    }

    /// <summary>An invalid argument, named as PowerShell's binder names one.</summary>
    public static string InvalidArgument(string parameter, Exception error) =>
        $"Cannot validate argument on parameter '{parameter}'. {OneLine(error)}";

    /// <summary>An exception's own message: its first line, without .NET's " (Parameter 'x')" suffix.</summary>
    public static string OneLine(Exception error)
    {
        var text = error.Message;
        var lineEnd = text.AsSpan().IndexOfAny('\r', '\n');
        if (lineEnd >= 0) text = text[..lineEnd];
        if (error is ArgumentException { ParamName: { Length: > 0 } name })
        {
            var suffix = $" (Parameter '{name}')";
            if (text.EndsWith(suffix, StringComparison.Ordinal)) text = text[..^suffix.Length];
        }
        return text;
    }
}

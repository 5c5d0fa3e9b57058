using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace ScoutAudit.Shell.Hosting;

/// <summary>
/// Text in, text out: what Out-Default, Write-Host and the what-if machinery hand to the host goes to standard
/// output; errors, warnings, verbose and debug lines go to standard error, each with PowerShell's console prefixes.
/// </summary>
internal sealed class ShellHostUserInterface : PSHostUserInterface
{
    private readonly ShellOptions _options;
    private readonly ShellRawUserInterface _rawUI;
    private readonly Lock _gate = new();
    private volatile bool _errorReported;
    private volatile bool _outputIsError;
    private volatile bool _errorTextWritten;

    public ShellHostUserInterface(ShellOptions options)
    {
        _options = options;
        _rawUI = new ShellRawUserInterface(options.Width);
    }

    public override PSHostRawUserInterface RawUI => _rawUI;

    public override bool SupportsVirtualTerminal => _options.OutputSupportsVirtualTerminal;

    public bool ErrorReported => _errorReported;

    public void ClearErrorReported() => _errorReported = false;

    /// <summary>
    /// Until disposed, what would go to standard output is an error report: it goes to standard error and counts as an
    /// error. The shell uses this to show a terminating error through PowerShell's error view (Out-Default renders an
    /// ErrorRecord it is handed as text like any other object).
    /// </summary>
    public IDisposable OutputAsError()
    {
        _outputIsError = true;
        _errorTextWritten = false;
        return new Restore(this);
    }

    /// <summary>True when something other than blank lines was written since <see cref="OutputAsError"/>.</summary>
    public bool ErrorTextWritten => _errorTextWritten;

    // The formatter decorates text with ANSI sequences ($PSStyle); GetOutputString removes them unless the
    // terminal behind the stream shows them ($PSStyle.OutputRendering decides, as in PowerShell's console host).
    public override void Write(string value) => Out(value, newLine: false);

    // Colours are accepted (Write-Host -ForegroundColor) and not rendered: the shell writes plain text streams.
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Out(value, newLine: false);

    public override void WriteLine(string value) => Out(value, newLine: true);

    public override void WriteErrorLine(string value)
    {
        _errorReported = true;
        Err(value);
    }

    public override void WriteWarningLine(string message) => Err("WARNING: " + message);

    public override void WriteVerboseLine(string message) => Err("VERBOSE: " + message);

    public override void WriteDebugLine(string message) => Err("DEBUG: " + message);

    // Progress bars need a screen to redraw; on a text stream they would only be noise.
    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
    }

    public override string ReadLine()
    {
        RequireInteractive("read a line of input");
        _options.Output.Flush();
        return _options.Input.ReadLine() ?? string.Empty;
    }

    public override SecureString ReadLineAsSecureString()
    {
        var secure = new SecureString();
        foreach (char c in ReadLine())
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        RequireInteractive($"prompt for {string.Join(", ", descriptions.Select(d => d.Name))}");
        WriteCaption(caption, message);
        var answers = new Dictionary<string, PSObject>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in descriptions)
        {
            Write(field.Name + ": ");
            answers[field.Name] = PSObject.AsPSObject(ReadLine());
        }

        return answers;
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        RequireInteractive("ask for a choice (-Confirm)");
        WriteCaption(caption, message);
        string menu = string.Join("  ", choices.Select((c, i) => $"[{HotKey(c.Label)}] {c.Label.Replace("&", string.Empty, StringComparison.Ordinal)}"));
        while (true)
        {
            Write(menu + $" (default is \"{HotKey(choices[defaultChoice].Label)}\"): ");
            string answer = ReadLine().Trim();
            if (answer.Length == 0)
            {
                return defaultChoice;
            }

            for (int i = 0; i < choices.Count; i++)
            {
                string label = choices[i].Label.Replace("&", string.Empty, StringComparison.Ordinal);
                if (string.Equals(answer, HotKey(choices[i].Label), StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(answer, label, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.Default);

    public override PSCredential PromptForCredential(
        string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
    {
        RequireInteractive("prompt for a credential");
        WriteCaption(caption, message);
        if (string.IsNullOrEmpty(userName))
        {
            Write("User: ");
            userName = ReadLine();
        }

        Write("Password for user " + userName + ": ");
        return new PSCredential(userName, ReadLineAsSecureString());
    }

    private static string HotKey(string label)
    {
        int amp = label.IndexOf('&', StringComparison.Ordinal);
        return amp >= 0 && amp + 1 < label.Length
            ? label[amp + 1].ToString().ToUpper(CultureInfo.CurrentCulture)
            : label;
    }

    private void WriteCaption(string caption, string message)
    {
        if (!string.IsNullOrEmpty(caption))
        {
            WriteLine(caption);
        }

        if (!string.IsNullOrEmpty(message))
        {
            WriteLine(message);
        }
    }

    // A script run with -Command or -File has nobody to answer: fail at once instead of waiting on standard input,
    // as pwsh -NonInteractive does.
    private void RequireInteractive(string what)
    {
        if (!_options.InteractiveInput)
        {
            throw new PSInvalidOperationException(
                $"scoutaudit cannot {what}: standard input is not a terminal, so nobody can answer. " +
                "Pass every value the command needs as a parameter.");
        }
    }

    private void Out(string value, bool newLine)
    {
        if (_outputIsError)
        {
            _errorReported = true;
            _errorTextWritten |= !string.IsNullOrWhiteSpace(value);
            ErrOut(value, newLine);
            return;
        }

        string text = GetOutputString(value, _options.OutputSupportsVirtualTerminal);
        lock (_gate)
        {
            if (newLine)
            {
                _options.Output.WriteLine(text);
            }
            else
            {
                _options.Output.Write(text);
            }
        }
    }

    private void Err(string value) => ErrOut(value, newLine: true);

    private void ErrOut(string value, bool newLine)
    {
        string text = GetOutputString(value, _options.ErrorSupportsVirtualTerminal);
        lock (_gate)
        {
            // Keep the two streams in order when both go to one terminal.
            _options.Output.Flush();
            if (newLine)
            {
                _options.Error.WriteLine(text);
            }
            else
            {
                _options.Error.Write(text);
            }

            _options.Error.Flush();
        }
    }

    private sealed class Restore(ShellHostUserInterface ui) : IDisposable
    {
        public void Dispose() => ui._outputIsError = false;
    }
}

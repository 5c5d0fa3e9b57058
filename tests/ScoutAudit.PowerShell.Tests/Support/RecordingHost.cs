using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace ScoutAudit.PowerShell.Tests.Support;

/// <summary>
/// A PowerShell host that records what the engine shows a person: -WhatIf text, Out-Default
/// tables, Write-Host. <see cref="Text"/> has ANSI escape sequences removed; <see cref="RawText"/> keeps them.
/// </summary>
public sealed class RecordingHost : PSHost
{
    private readonly RecordingUserInterface _ui = new();

    public string Text => _ui.Text;

    public string RawText => _ui.RawText;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.GetCultureInfo("en-US");

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "ScoutAuditTestHost";

    public override PSHostUserInterface UI => _ui;

    public override Version Version => new(1, 0);

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    private sealed class RecordingUserInterface : PSHostUserInterface
    {
        private readonly StringBuilder _raw = new();
        private readonly object _lock = new();

        public string RawText
        {
            get
            {
                lock (_lock) return _raw.ToString();
            }
        }

        public string Text => GetOutputString(RawText, supportsVirtualTerminal: false);

        public override PSHostRawUserInterface RawUI { get; } = new RawUserInterface();

        public override void Write(string value) => Record(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Record(value);

        public override void WriteLine(string value) => Record(value + "\n");

        public override void WriteErrorLine(string value) => Record(value + "\n");

        public override void WriteDebugLine(string message) => Record($"DEBUG: {message}\n");

        public override void WriteVerboseLine(string message) => Record($"VERBOSE: {message}\n");

        public override void WriteWarningLine(string message) => Record($"WARNING: {message}\n");

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("The test host does not prompt.");

        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new NotSupportedException("The test host does not prompt.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("The test host does not prompt.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("The test host does not prompt.");

        public override string ReadLine() => throw new NotSupportedException("The test host does not read input.");

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("The test host does not read input.");

        private void Record(string value)
        {
            lock (_lock) _raw.Append(value);
        }
    }

    /// <summary>A fixed 250-column console, wide enough for every column of the default views.</summary>
    private sealed class RawUserInterface : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override Size BufferSize { get; set; } = new(250, 9999);

        public override Coordinates CursorPosition { get; set; }

        public override int CursorSize { get; set; } = 1;

        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        public override bool KeyAvailable => false;

        public override Size MaxPhysicalWindowSize => new(250, 100);

        public override Size MaxWindowSize => new(250, 100);

        public override Coordinates WindowPosition { get; set; }

        public override Size WindowSize { get; set; } = new(250, 100);

        public override string WindowTitle { get; set; } = "";

        public override void FlushInputBuffer()
        {
        }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
    }
}

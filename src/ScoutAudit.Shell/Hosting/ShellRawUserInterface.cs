using System.Management.Automation.Host;

namespace ScoutAudit.Shell.Hosting;

/// <summary>
/// The raw UI the formatter consults: its buffer width decides how wide tables are laid out. The shell writes a
/// stream of text rather than painting a screen, so the buffer operations are not available.
/// </summary>
internal sealed class ShellRawUserInterface : PSHostRawUserInterface
{
    private readonly int _width;

    public ShellRawUserInterface(int width)
    {
        _width = width;
    }

    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

    // Height is irrelevant for a stream; PowerShell's console host reports a tall buffer too.
    public override Size BufferSize
    {
        get => new(_width, 9001);
        set { }
    }

    public override Coordinates CursorPosition { get; set; }

    public override int CursorSize { get; set; }

    public override bool KeyAvailable => false;

    public override Size MaxPhysicalWindowSize => new(_width, 9001);

    public override Size MaxWindowSize => new(_width, 9001);

    public override Coordinates WindowPosition { get; set; }

    public override Size WindowSize
    {
        get => new(_width, 50);
        set { }
    }

    public override string WindowTitle { get; set; } = "scoutaudit";

    public override void FlushInputBuffer()
    {
    }

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw NoScreen();

    public override KeyInfo ReadKey(ReadKeyOptions options) => throw NoScreen();

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw NoScreen();

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw NoScreen();

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw NoScreen();

    private static NotSupportedException NoScreen() =>
        new("The scoutaudit shell writes text streams; it has no screen buffer or key reading.");
}

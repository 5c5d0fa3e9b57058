namespace ScoutAudit.PowerShell.Tests.Support;

/// <summary>A test with the module in a fresh runspace and a log in its own temporary folder, closed and removed afterwards.</summary>
public abstract class ModuleLogTest : IDisposable
{
    protected ModuleLogTest([System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        Temp = new TempFolder(GetType().Name, file);
    }

    protected TempFolder Temp { get; }

    protected ModuleSession Session { get; } = new();

    /// <summary>The test's log.</summary>
    protected string Log => Temp.File("audit.jsonl");

    public void Dispose()
    {
        Session.Run("Close-ScoutAuditLog -Path $p", new { p = Log });
        Session.Dispose();
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}

using System.Text;

namespace ScoutAudit.Shell;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var options = ShellOptions.ForConsole();

        // Ctrl+C stops the running script, as in pwsh, instead of killing the process mid-write.
        ShellSession? current = null;
        Console.CancelKeyPress += (_, e) =>
        {
            var session = Volatile.Read(ref current);
            if (session is not null)
            {
                e.Cancel = true;
                session.Stop();
            }
        };

        return ScoutShell.Run(args, options, session => Volatile.Write(ref current, session));
    }
}

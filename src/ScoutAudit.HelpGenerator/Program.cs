using System.Text;
using System.Xml;

namespace ScoutAudit.HelpGenerator;

/// <summary>
/// <c>ScoutAudit.HelpGenerator &lt;docs/en-US&gt; &lt;module/en-US&gt; &lt;Assembly.dll&gt;</c>: writes
/// <c>&lt;Assembly.dll&gt;-Help.xml</c> from the cmdlet pages and <c>about_*.help.txt</c> from the
/// about_ pages. Exit code 1, with the page and the problem named, when a page is incomplete.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length != 3)
        {
            Console.Error.WriteLine("usage: ScoutAudit.HelpGenerator <markdown folder> <output folder> <assembly file name>");
            return 2;
        }
        var (source, output, assembly) = (args[0], args[1], args[2]);
        try
        {
            Directory.CreateDirectory(output);
            var pages = Directory.GetFiles(source, "*.md").Order(StringComparer.Ordinal).ToList();
            var commands = pages.Where(p => !IsAboutTopic(p)).Select(CommandPageReader.Read).ToList();
            if (commands.Count == 0) throw new HelpSourceException(source, "holds no cmdlet page");

            var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
            using (var writer = XmlWriter.Create(Path.Combine(output, $"{assembly}-Help.xml"), settings))
            {
                MamlWriter.Write(commands).Save(writer);
            }
            foreach (var page in pages.Where(IsAboutTopic))
            {
                var name = Path.GetFileNameWithoutExtension(page);
                File.WriteAllText(Path.Combine(output, $"{name}.help.txt"), AboutTopicWriter.Write(File.ReadAllText(page), page), new UTF8Encoding(false));
            }
            Console.WriteLine($"Help: {commands.Count} cmdlets, {pages.Count(IsAboutTopic)} about topics -> {output}");
            return 0;
        }
        catch (Exception error) when (error is HelpSourceException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return 1;
        }
    }

    private static bool IsAboutTopic(string path) =>
        Path.GetFileName(path).StartsWith("about_", StringComparison.OrdinalIgnoreCase);
}

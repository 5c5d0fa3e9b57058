namespace ScoutAudit.Shell.MissingCommands;

/// <summary>
/// Commands a full PowerShell 7.4 has out of the box that the engine embedded here does not: its Utility,
/// Management, Security, Host, Archive, ThreadJob, PSReadLine, PowerShellGet and PSResourceGet modules, and the Core
/// cmdlets that exist only in a full installation. A name on this list that cannot be found gets the shell's clear
/// explanation; any other unknown name (a typo) keeps PowerShell's usual "not recognized" error.
/// </summary>
internal static class KnownPowerShellCommands
{
    public static bool Contains(string name) => Names.Contains(name);

    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        // Microsoft.PowerShell.Utility
        "Add-Member", "Add-Type", "Clear-Variable", "Compare-Object", "ConvertFrom-CliXml", "ConvertFrom-Csv",
        "ConvertFrom-Json", "ConvertFrom-Markdown", "ConvertFrom-SddlString", "ConvertFrom-StringData",
        "ConvertTo-CliXml", "ConvertTo-Csv", "ConvertTo-Html", "ConvertTo-Json", "ConvertTo-Xml", "Debug-Runspace",
        "Disable-PSBreakpoint", "Disable-RunspaceDebug", "Enable-PSBreakpoint", "Enable-RunspaceDebug", "Export-Alias",
        "Export-Clixml", "Export-Csv", "Export-FormatData", "Export-PSSession", "Format-Custom", "Format-Hex",
        "Format-List", "Format-Table", "Format-Wide", "Get-Alias", "Get-Culture", "Get-Date", "Get-Error", "Get-Event",
        "Get-EventSubscriber", "Get-FileHash", "Get-FormatData", "Get-Host", "Get-MarkdownOption", "Get-Member",
        "Get-PSBreakpoint", "Get-PSCallStack", "Get-Random", "Get-Runspace", "Get-RunspaceDebug", "Get-SecureRandom",
        "Get-TraceSource", "Get-TypeData", "Get-UICulture", "Get-Unique", "Get-Uptime", "Get-Variable", "Get-Verb",
        "Group-Object", "Import-Alias", "Import-Clixml", "Import-Csv", "Import-LocalizedData",
        "Import-PowerShellDataFile", "Import-PSSession", "Invoke-Expression", "Invoke-RestMethod", "Invoke-WebRequest",
        "Join-String", "Measure-Command", "Measure-Object", "New-Alias", "New-Event", "New-Guid", "New-Object",
        "New-TemporaryFile", "New-TimeSpan", "New-Variable", "Out-File", "Out-GridView", "Out-Printer", "Out-String",
        "Read-Host", "Register-EngineEvent", "Register-ObjectEvent", "Remove-Alias", "Remove-Event",
        "Remove-PSBreakpoint", "Remove-TypeData", "Remove-Variable", "Select-Object", "Select-String", "Select-Xml",
        "Send-MailMessage", "Set-Alias", "Set-Date", "Set-MarkdownOption", "Set-PSBreakpoint", "Set-TraceSource",
        "Set-Variable", "Show-Command", "Show-Markdown", "Sort-Object", "Start-Sleep", "Tee-Object", "Test-Json",
        "Trace-Command", "Unblock-File", "Unregister-Event", "Update-FormatData", "Update-List", "Update-TypeData",
        "Wait-Debugger", "Wait-Event", "Write-Debug", "Write-Error", "Write-Host", "Write-Information", "Write-Output",
        "Write-Progress", "Write-Verbose", "Write-Warning",

        // Microsoft.PowerShell.Management
        "Add-Content", "Clear-Content", "Clear-Item", "Clear-ItemProperty", "Clear-RecycleBin", "Convert-Path",
        "Copy-Item", "Copy-ItemProperty", "Debug-Process", "Get-ChildItem", "Get-Clipboard", "Get-ComputerInfo",
        "Get-Content", "Get-HotFix", "Get-Item", "Get-ItemProperty", "Get-ItemPropertyValue", "Get-Location",
        "Get-Process", "Get-PSDrive", "Get-PSProvider", "Get-Service", "Get-TimeZone", "Invoke-Item", "Join-Path",
        "Move-Item", "Move-ItemProperty", "New-Item", "New-ItemProperty", "New-PSDrive", "New-Service",
        "Pop-Location", "Push-Location", "Remove-Item", "Remove-ItemProperty", "Remove-PSDrive", "Remove-Service",
        "Rename-Computer", "Rename-Item", "Rename-ItemProperty", "Resolve-Path", "Restart-Computer", "Restart-Service",
        "Resume-Service", "Set-Clipboard", "Set-Content", "Set-Item", "Set-ItemProperty", "Set-Location",
        "Set-Service", "Set-TimeZone", "Split-Path", "Start-Process", "Start-Service", "Stop-Computer",
        "Stop-Process", "Stop-Service", "Suspend-Service", "Test-Connection", "Test-Path", "Wait-Process",

        // Microsoft.PowerShell.Core commands of a full installation that this engine's default session leaves out
        "Connect-PSSession", "Disable-PSRemoting", "Disable-PSSessionConfiguration", "Disconnect-PSSession",
        "Enable-PSRemoting", "Enable-PSSessionConfiguration", "Get-PSSessionCapability", "Get-PSSessionConfiguration",
        "Receive-PSSession", "Register-PSSessionConfiguration", "Set-PSSessionConfiguration",
        "Test-PSSessionConfigurationFile", "Unregister-PSSessionConfiguration",

        // Microsoft.PowerShell.Security
        "ConvertFrom-SecureString", "ConvertTo-SecureString", "Get-Acl", "Get-AuthenticodeSignature",
        "Get-CmsMessage", "Get-Credential", "Get-ExecutionPolicy", "Get-PfxCertificate", "New-FileCatalog",
        "Protect-CmsMessage", "Set-Acl", "Set-AuthenticodeSignature", "Set-ExecutionPolicy", "Test-FileCatalog",
        "Unprotect-CmsMessage",

        // Microsoft.PowerShell.Host, Microsoft.PowerShell.Diagnostics, Microsoft.PowerShell.Archive, ThreadJob
        "Start-Transcript", "Stop-Transcript", "Get-Counter", "Get-WinEvent", "New-WinEvent",
        "Compress-Archive", "Expand-Archive", "Start-ThreadJob",

        // PSReadLine
        "Get-PSReadLineKeyHandler", "Get-PSReadLineOption", "PSConsoleHostReadLine", "Remove-PSReadLineKeyHandler",
        "Set-PSReadLineKeyHandler", "Set-PSReadLineOption",

        // PowerShellGet, PackageManagement, Microsoft.PowerShell.PSResourceGet
        "Find-Command", "Find-DscResource", "Find-Module", "Find-RoleCapability", "Find-Script", "Get-InstalledModule",
        "Get-InstalledScript", "Get-PSRepository", "Install-Module", "Install-Script", "New-ScriptFileInfo",
        "Publish-Module", "Publish-Script", "Register-PSRepository", "Save-Module", "Save-Script",
        "Set-PSRepository", "Test-ScriptFileInfo", "Uninstall-Module", "Uninstall-Script", "Unregister-PSRepository",
        "Update-Module", "Update-ModuleManifest", "Update-Script", "Update-ScriptFileInfo",
        "Find-Package", "Get-Package", "Get-PackageProvider", "Get-PackageSource", "Install-Package",
        "Register-PackageSource", "Uninstall-Package",
        "Compress-PSResource", "Find-PSResource", "Get-InstalledPSResource", "Get-PSResourceRepository",
        "Get-PSScriptFileInfo", "Install-PSResource", "New-PSScriptFileInfo", "Publish-PSResource",
        "Register-PSResourceRepository", "Save-PSResource", "Set-PSResourceRepository", "Test-PSScriptFileInfo",
        "Uninstall-PSResource", "Unregister-PSResourceRepository", "Update-PSModuleManifest", "Update-PSResource",
        "Update-PSScriptFileInfo",
    };
}

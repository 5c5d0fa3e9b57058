# Source manifest. The build copies it to module/ and stamps ModuleVersion from <Version> in
# Directory.Build.props, the one place the version lives; keep the placeholder below as it is.
@{
    RootModule             = 'ScoutAudit.PowerShell.dll'
    ModuleVersion          = '0.0.0'
    CompatiblePSEditions   = @('Core')
    GUID                   = '5e0a7c3d-2f4b-4d8e-9a61-3c7b2e9f14d5'
    Author                 = 'ScoutAudit contributors'
    CompanyName            = 'ScoutAudit contributors'
    Copyright              = '(c) ScoutAudit contributors. MIT License.'
    Description            = 'An append-only, crash-safe JSONL audit log for LLM and automation work: events, cost, spend and accuracy. Reads and writes the same ~/.scout/audit.jsonl as the original Python Scout audit log.'
    PowerShellVersion      = '7.4'
    RequiredAssemblies     = @('ScoutAudit.Core.dll')
    FormatsToProcess       = @('ScoutAudit.format.ps1xml')
    TypesToProcess         = @('ScoutAudit.types.ps1xml')
    CmdletsToExport        = @(
        'Write-ScoutAuditEvent'
        'Get-ScoutAuditEvent'
        'Get-ScoutAuditSpend'
        'Get-ScoutAuditAccuracy'
        'Invoke-ScoutAuditRotation'
        'Get-ScoutAuditLog'
        'Set-ScoutAuditLog'
        'Close-ScoutAuditLog'
        'Test-ScoutAuditLog'
        'Get-ScoutAuditArchive'
        'Register-ScoutAuditArchive'
        'Remove-ScoutAuditArchive'
        'Export-ScoutAuditReport'
        'Send-ScoutAuditEvent'
    )
    FunctionsToExport      = @()
    # The design card's names, kept for the scripts that use them (docs/surface.md, Names).
    AliasesToExport        = @('Write-ScoutAudit', 'Get-ScoutSpend', 'Get-ScoutAccuracy', 'Invoke-ScoutAuditRotate')
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags       = @('audit', 'log', 'jsonl', 'llm', 'cost', 'telemetry', 'scout', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri = 'https://github.com/scoutaudit/ScoutAudit'
            LicenseUri = 'https://github.com/scoutaudit/ScoutAudit/blob/main/LICENSE'
        }
    }
    # No HelpInfoURI: the help ships inside the module, and a URI without an updatable-help cab
    # would make Update-Help fail for every user who runs it.
}

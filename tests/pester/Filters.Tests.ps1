# How Get-ScoutAuditEvent's filters compare, as a PowerShell user expects: -Event, -Model and
# -SessionId as -like does (any case, wildcards).

BeforeAll {
    Import-Module ([IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../module/ScoutAudit.psd1'))) -Force
}

AfterAll {
    Remove-Module ScoutAudit -ErrorAction SilentlyContinue
}

Describe 'Get-ScoutAuditEvent filters as PowerShell compares' {
    BeforeAll {
        $log = Join-Path $TestDrive 'filters.jsonl'
        Write-ScoutAuditEvent nav -Model gpt-4o-mini -Path $log
        Write-ScoutAuditEvent tldr_auto_generated -Model GPT-4o -Path $log
        Write-ScoutAuditEvent validation_fail -Model llama-3.1-8b -Path $log
        Write-ScoutAuditEvent nav -Path $log
        Close-ScoutAuditLog -Path $log
    }

    It 'matches -Event in any case, as Where-Object Event -eq does' {
        $byParameter = @(Get-ScoutAuditEvent -Event NAV -Path $log)
        $byParameter | Should -HaveCount 2
        $byParameter.Count | Should -Be @(Get-ScoutAuditEvent -Path $log | Where-Object Event -eq NAV).Count
    }

    It 'takes wildcards in -Event and -Model' {
        (Get-ScoutAuditEvent -Event tldr* -Path $log).Event | Should -Be 'tldr_auto_generated'
        (Get-ScoutAuditEvent -Model gpt* -Path $log).Model | Should -Be 'gpt-4o-mini', 'GPT-4o'
        (Get-ScoutAuditEvent -Event nav, val* -Model *8b, gpt-4o-mini -Path $log).Event | Should -Be 'nav', 'validation_fail'
    }

    It 'matches -SessionId as -like does: in any case, with wildcards' {
        $other = Join-Path $TestDrive 'sessions.jsonl'
        Write-ScoutAuditEvent nav -SessionId 'run-2026-a' -Path $other
        Write-ScoutAuditEvent nav -SessionId 'run-2026-b' -Path $other
        Write-ScoutAuditEvent nav -SessionId 'deploy-1' -Path $other
        Close-ScoutAuditLog -Path $other
        $session = (Get-ScoutAuditEvent -Path $log -Last 1).SessionId

        @(Get-ScoutAuditEvent -SessionId $session -Path $log) | Should -HaveCount 4
        @(Get-ScoutAuditEvent -SessionId $session.ToUpperInvariant() -Path $log) | Should -HaveCount 4 -Because 'as Where-Object SessionId -like compares'
        (Get-ScoutAuditEvent -SessionId 'run-*' -Path $other).SessionId | Should -Be 'run-2026-a', 'run-2026-b'
        (Get-ScoutAuditEvent -SessionId 'deploy-1', '*-b' -Path $other).SessionId | Should -Be 'run-2026-b', 'deploy-1'
    }
}

#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# A script that keeps the Id of the last event it handled resumes exactly there with -After,
# whatever rotated in between and whichever process reads.

Describe 'Event ids and -After' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
    }

    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $log = Join-Path $folder 'audit.jsonl'
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It 'gives each event the same Id before and after rotation and in another process, increasing in log order' {
        1..4 | ForEach-Object { Write-ScoutAuditEvent nav -InputTokens $_ -Path $log }
        $before = Get-ScoutAuditEvent -Path $log
        $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false
        5..6 | ForEach-Object { Write-ScoutAuditEvent nav -InputTokens $_ -Path $log }
        Close-ScoutAuditLog -Path $log
        $script = Join-Path $folder 'ids.ps1'
        Set-Content -LiteralPath $script -Value "Import-Module '$(Get-ScoutAuditModulePath)'; (Get-ScoutAuditEvent -Path '$log').Id -join ','"

        $after = Get-ScoutAuditEvent -Path $log
        $child = Invoke-ChildPwsh -ArgumentList '-NoProfile', '-File', $script -Environment @{ HOME = $folder; SCOUT_AUDIT_PATH = $log }

        $after[0..3].Id | Should -Be $before.Id
        $after.Id | Should -Be ($after.Id | Sort-Object)
        $child.StdOut.Trim() | Should -Be ($after.Id -join ',')
    }

    It 'resumes exactly after the Id kept, across a rotation, with and without other filters' {
        1..5 | ForEach-Object { Write-ScoutAuditEvent nav -InputTokens $_ -Path $log }
        $kept = (Get-ScoutAuditEvent -Path $log -Last 1).Id
        $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false
        6..9 | ForEach-Object { Write-ScoutAuditEvent ($(if ($_ % 2) { 'nav' } else { 'deep' })) -InputTokens $_ -Path $log }

        (Get-ScoutAuditEvent -Path $log -After $kept).InputTokens | Should -Be 6, 7, 8, 9
        (Get-ScoutAuditEvent -Path $log -After $kept -Event nav).InputTokens | Should -Be 7, 9
        (Get-ScoutAuditEvent -Path $log -After $kept -Last 2).InputTokens | Should -Be 8, 9
        Get-ScoutAuditEvent -Path $log -After (Get-ScoutAuditEvent -Path $log -Last 1).Id | Should -BeNullOrEmpty
    }

    It 'warns when the Id kept is past the end of the log, as after the log was deleted and begun again' {
        1..3 | ForEach-Object { Write-ScoutAuditEvent nav -InputTokens $_ -Path $log }
        $kept = (Get-ScoutAuditEvent -Path $log -Last 1).Id
        Close-ScoutAuditLog -Path $log
        Remove-Item -LiteralPath $log
        Write-ScoutAuditEvent nav -InputTokens 4 -Path $log

        Get-ScoutAuditEvent -Path $log -After $kept -WarningVariable warnings -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        $warnings.Message | Should -Match "No event of '.*audit\.jsonl' comes after id $kept\b: the log ends at id \d+"
        Get-ScoutAuditEvent -Path $log -After (Get-ScoutAuditEvent -Path $log -Last 1).Id -WarningVariable none | Should -BeNullOrEmpty
        $none | Should -BeNullOrEmpty
    }
}

//! `pauta web`: starts the workbench in a browser (see `pauta::web`) and, with `--abrir`, opens
//! it in the default browser.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use pauta::web::{Settings, serve};

/// Flags of `pauta web`.
#[derive(clap::Args)]
pub struct Args {
    /// Carpeta de políticas (por defecto, la del espacio de trabajo: pauta.toml o policies/; si no
    /// hay, las incluidas en el programa).
    #[arg(long, value_name = "RUTA")]
    policies: Option<PathBuf>,
    /// Dirección y puerto donde escuchar; con el puerto 0 se elige uno libre. Fuera de 127.0.0.1
    /// exige --clave.
    #[arg(
        long = "escuchar",
        alias = "listen",
        value_name = "DIRECCIÓN:PUERTO",
        default_value = "127.0.0.1:8080"
    )]
    listen: SocketAddr,
    /// Clave de acceso (al menos 16 caracteres), obligatoria para escuchar en la red: quien abra
    /// el banco de trabajo necesita el enlace con la clave.
    #[arg(long = "clave", alias = "token", value_name = "CLAVE")]
    token: Option<String>,
    /// Abre el banco de trabajo en el navegador predeterminado.
    #[arg(long = "abrir", alias = "open")]
    open: bool,
    /// Tamaño máximo de lo que se sube en una sola operación, en MB.
    #[arg(
        long = "limite-subida",
        alias = "upload-limit",
        value_name = "MB",
        default_value_t = 2048
    )]
    upload_limit: u64,
}

/// Serve until interrupted; exit 0 after Ctrl-C.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let workspace = super::workspace(args.policies.as_ref())?;
    let settings = Settings {
        listen: args.listen,
        token: args.token.clone(),
        upload_limit: args.upload_limit.saturating_mul(1_000_000),
        workspace,
    };
    let open = args.open;
    serve(settings, |url| {
        // Written, not printed: a closed standard output must not stop the server.
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "pauta web escuchando en {url}");
        let _ = writeln!(
            stdout,
            "Ábralo en el navegador; para detenerlo, pulse Ctrl+C en esta ventana."
        );
        let _ = stdout.flush();
        if open && let Err(error) = open_browser(url) {
            super::paint::eprint(&format!(
                "aviso: no se pudo abrir el navegador ({error}); abra {url} a mano\n"
            ));
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Asks the desktop to open `url` in the default browser.
fn open_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "windows") {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]).arg(url);
        command
    } else if cfg!(target_os = "macos") {
        let mut command = std::process::Command::new("open");
        command.arg(url);
        command
    } else {
        let mut command = std::process::Command::new("xdg-open");
        command.arg(url);
        command
    };
    command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
}

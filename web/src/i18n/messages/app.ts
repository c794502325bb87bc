/** Strings of the back-office shell (layout, navigation, home). Keys start with `app.`. Areas keep their own files. */
export const app = {
  es: {
    'app.title': 'cobranza · oficina',
    'app.nav.label': 'Navegación principal',
    'app.nav.home': 'Inicio',
    'app.home.title': 'Le damos la bienvenida',
    'app.home.body': 'Elija una sección en el menú para empezar.',
  },
  en: {
    'app.title': 'cobranza · back office',
    'app.nav.label': 'Main navigation',
    'app.nav.home': 'Home',
    'app.home.title': 'Welcome',
    'app.home.body': 'Pick a section in the menu to start.',
  },
};

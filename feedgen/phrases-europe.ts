import type { LanguagePack } from './phrases-en';

// A few sentences per language: enough for descriptions genuinely written in that language.

export const DE: LanguagePack = {
  about: [
    '{company} entwickelt Software, mit der mittelständische Unternehmen ihre Produktion planen.',
    'Die {company} ist ein inhabergeführtes Unternehmen mit rund 200 Mitarbeitenden am Standort {city}.',
    'Bei {company} betreiben wir eine Plattform für den Handel mit Ersatzteilen in ganz Europa.',
  ],
  role: [
    'Zur Verstärkung unseres Teams {team} suchen wir ab sofort eine:n {title}.',
    'Als {title} übernimmst du Verantwortung für zentrale Themen im Bereich {team}.',
    'In dieser Rolle arbeitest du eng mit Produkt, Design und Kundenservice zusammen.',
  ],
  tasksHeading: 'Deine Aufgaben:',
  tasks: [
    '- Du entwickelst und betreibst Funktionen mit {skill} und {skill2}.',
    '- Du verbesserst Schritt für Schritt unsere Prozesse rund um {skill}.',
    '- Du teilst dein Wissen im Team und gibst konstruktives Feedback.',
    '- Du dokumentierst Entscheidungen, damit andere sie nachvollziehen können.',
  ],
  needsHeading: 'Dein Profil:',
  needs: [
    '- Mindestens {years} Jahre Berufserfahrung in einer vergleichbaren Position.',
    '- Sehr gute Kenntnisse in {skill}, idealerweise auch Erfahrung mit {skill2}.',
    '- Sehr gute Deutsch- und gute Englischkenntnisse.',
    '- {soft} ist dir wichtig und du arbeitest gern im Team.',
  ],
  offersHeading: 'Wir bieten:',
  offers: [
    '- 30 Tage Urlaub und flexible Arbeitszeiten.',
    '- Ein jährliches Weiterbildungsbudget.',
    '- Betriebliche Altersvorsorge und ein Deutschlandticket.',
    '- Moderne Ausstattung, auch fürs Homeoffice.',
  ],
  remote: [
    'Die Stelle ist vollständig remote möglich.',
    'Du arbeitest überwiegend mobil, zweimal im Jahr treffen wir uns vor Ort.',
  ],
  onsite: [
    'Dein Arbeitsplatz ist unser Büro in {city}.',
    'Hybrides Arbeiten: drei Tage pro Woche im Büro in {city}.',
  ],
  extra: [
    'Über uns: Wir sind ein Team mit sehr unterschiedlichen Hintergründen. Wir schätzen Neugier mehr als Gewissheit und liefern lieber heute eine kleine Verbesserung als morgen einen perfekten Plan. Entscheidungen halten wir schriftlich fest und überprüfen sie, wenn wir Neues lernen.',
    'Unser Bewerbungsprozess: Nach einem kurzen Telefonat mit unserem Recruiting lernst du die Teamleitung kennen. Danach folgt eine praktische Aufgabe, die wir gemeinsam besprechen, und zum Schluss ein Gespräch mit zwei zukünftigen Kolleg:innen. Eine Rückmeldung erhältst du innerhalb von zwei Wochen.',
    'Chancengleichheit: Wir freuen uns über Bewerbungen unabhängig von Geschlecht, Alter, Herkunft, Religion, Behinderung oder sexueller Identität.',
  ],
  closing: [
    'Wir freuen uns auf deine Bewerbung!',
    'Bewirb dich jetzt mit deinem Lebenslauf – ein Anschreiben ist nicht nötig.',
  ],
  requirement: ['{years}+ Jahre Erfahrung mit {skill}', 'Fundierte Kenntnisse in {skill}', '{skill}'],
  update: [
    'Aktualisierung: Die Gehaltsspanne wurde angepasst.',
    'Aktualisierung: Die Stelle ist jetzt auch in Teilzeit möglich.',
  ],
};

export const FR: LanguagePack = {
  about: [
    '{company} conçoit des logiciels qui aident les PME industrielles à planifier leur production.',
    '{company} est une entreprise indépendante d’environ 200 personnes, basée à {city}.',
    'Chez {company}, nous gérons une plateforme de paiement utilisée par des milliers de commerçants.',
  ],
  role: [
    'Nous recrutons un·e {title} pour rejoindre l’équipe {team}.',
    'En tant que {title}, vous serez responsable de sujets clés au sein de l’équipe {team}.',
    'Vous travaillerez en lien étroit avec les équipes produit, design et support.',
  ],
  tasksHeading: 'Vos missions :',
  tasks: [
    '- Concevoir, développer et maintenir des fonctionnalités avec {skill} et {skill2}.',
    '- Améliorer progressivement nos pratiques autour de {skill}.',
    '- Partager vos connaissances et relire le travail de vos collègues.',
    '- Documenter les décisions importantes.',
  ],
  needsHeading: 'Votre profil :',
  needs: [
    '- Au moins {years} ans d’expérience sur un poste similaire.',
    '- Une bonne maîtrise de {skill} ; la connaissance de {skill2} est un plus.',
    '- Français courant et bon niveau d’anglais.',
    '- Vous attachez de l’importance à {soft}.',
  ],
  offersHeading: 'Ce que nous offrons :',
  offers: [
    '- Télétravail partiel et horaires flexibles.',
    '- Tickets restaurant et mutuelle prise en charge à 100 %.',
    '- Un budget formation annuel.',
  ],
  remote: [
    'Le poste est ouvert en full remote.',
    'Télétravail complet possible, avec deux séminaires par an.',
  ],
  onsite: [
    'Le poste est basé dans nos bureaux à {city}.',
    'Deux jours de télétravail par semaine, le reste au bureau de {city}.',
  ],
  extra: [
    'Notre équipe : nous venons d’horizons très différents et nous privilégions la curiosité. Nous préférons livrer une petite amélioration aujourd’hui plutôt qu’un plan parfait qui ne quitte jamais le tableau blanc.',
    'Processus de recrutement : un premier échange de 30 minutes, un entretien avec le manager, un exercice pratique débriefé ensemble, puis une rencontre avec l’équipe. Réponse sous deux semaines.',
    'Nous sommes un employeur engagé pour l’égalité des chances et étudions toutes les candidatures sans discrimination.',
  ],
  closing: ['Envoyez-nous votre CV, nous avons hâte de vous rencontrer.', 'Postulez dès maintenant !'],
  requirement: ['{years} ans d’expérience minimum avec {skill}', 'Bonne maîtrise de {skill}', '{skill}'],
  update: [
    'Mise à jour : la fourchette de salaire a été révisée.',
    'Mise à jour : le poste est désormais ouvert au temps partiel.',
  ],
};

export const ES: LanguagePack = {
  about: [
    '{company} desarrolla software para que las empresas industriales planifiquen su producción.',
    'En {company} somos unas 200 personas y tenemos oficinas en {city}.',
    '{company} es una empresa de logística que conecta productores locales con restaurantes.',
  ],
  role: [
    'Buscamos un/a {title} para incorporarse al equipo de {team}.',
    'Como {title} serás responsable de proyectos clave del área de {team}.',
    'Trabajarás mano a mano con producto, diseño y atención al cliente.',
  ],
  tasksHeading: 'Tus responsabilidades:',
  tasks: [
    '- Diseñar, desarrollar y mantener funcionalidades con {skill} y {skill2}.',
    '- Mejorar poco a poco nuestros procesos relacionados con {skill}.',
    '- Compartir conocimiento y revisar el trabajo del equipo.',
    '- Documentar las decisiones importantes.',
  ],
  needsHeading: 'Qué buscamos:',
  needs: [
    '- Al menos {years} años de experiencia en un puesto similar.',
    '- Experiencia práctica con {skill}; se valorará {skill2}.',
    '- Nivel alto de español y buen nivel de inglés.',
    '- Te importa {soft} y disfrutas trabajando en equipo.',
  ],
  offersHeading: 'Qué ofrecemos:',
  offers: [
    '- Horario flexible y jornada intensiva en verano.',
    '- Seguro médico privado.',
    '- Presupuesto anual para formación.',
  ],
  remote: ['Puesto 100 % remoto.', 'Trabajo en remoto con dos encuentros presenciales al año.'],
  onsite: [
    'El puesto es presencial en nuestra oficina de {city}.',
    'Modelo híbrido: tres días a la semana en {city}.',
  ],
  extra: [
    'Nuestro equipo: venimos de trayectorias muy distintas y valoramos la curiosidad. Preferimos publicar hoy una pequeña mejora que esperar a un plan perfecto.',
    'Proceso de selección: una primera llamada de 30 minutos, una entrevista con la persona responsable, un ejercicio práctico que comentamos juntos y una charla con el equipo.',
    'Somos una empresa que apuesta por la igualdad de oportunidades y la diversidad.',
  ],
  closing: ['¡Esperamos tu candidatura!', 'Envíanos tu CV y cuéntanos por qué te interesa el puesto.'],
  requirement: ['{years}+ años de experiencia con {skill}', 'Buen conocimiento de {skill}', '{skill}'],
  update: [
    'Actualización: se ha revisado la banda salarial.',
    'Actualización: el puesto admite ahora jornada parcial.',
  ],
};

export const PT: LanguagePack = {
  about: [
    'A {company} desenvolve software que ajuda empresas industriais a planear a produção.',
    'Somos a {company}, uma empresa com cerca de 200 pessoas e escritório em {city}.',
    'A {company} opera uma rede de clínicas e um serviço de telemedicina.',
  ],
  role: [
    'Estamos à procura de um(a) {title} para a equipa de {team}.',
    'Como {title}, terá responsabilidade sobre temas centrais da área de {team}.',
    'Vai trabalhar de perto com as equipas de produto, design e apoio ao cliente.',
  ],
  tasksHeading: 'Responsabilidades:',
  tasks: [
    '- Desenhar, desenvolver e manter funcionalidades com {skill} e {skill2}.',
    '- Melhorar gradualmente os nossos processos em torno de {skill}.',
    '- Partilhar conhecimento e rever o trabalho dos colegas.',
  ],
  needsHeading: 'Perfil:',
  needs: [
    '- Pelo menos {years} anos de experiência numa função semelhante.',
    '- Experiência prática com {skill}; conhecimento de {skill2} é uma mais-valia.',
    '- Português fluente e bom nível de inglês.',
    '- Valoriza {soft} e gosta de trabalhar em equipa.',
  ],
  offersHeading: 'Oferecemos:',
  offers: [
    '- Seguro de saúde.',
    '- Horário flexível e trabalho híbrido.',
    '- Orçamento anual para formação.',
  ],
  remote: [
    'Posição em regime 100 % remoto.',
    'Trabalho remoto com encontros presenciais duas vezes por ano.',
  ],
  onsite: [
    'Trabalho presencial no nosso escritório em {city}.',
    'Regime híbrido, com três dias por semana em {city}.',
  ],
  extra: [
    'A nossa equipa: temos percursos muito diferentes e valorizamos a curiosidade. Preferimos entregar hoje uma pequena melhoria do que esperar por um plano perfeito.',
    'Processo de recrutamento: uma conversa inicial de 30 minutos, uma entrevista com a chefia, um exercício prático discutido em conjunto e uma conversa com a equipa.',
  ],
  closing: ['Envie-nos o seu CV, aguardamos a sua candidatura!', 'Candidate-se já.'],
  requirement: ['{years}+ anos de experiência com {skill}', 'Bons conhecimentos de {skill}', '{skill}'],
  update: [
    'Atualização: a faixa salarial foi revista.',
    'Atualização: a vaga passa a aceitar regime a tempo parcial.',
  ],
};
